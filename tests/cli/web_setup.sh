# The county the web tests of the public, board and inspector pages share
# (test_web_public.sh, test_web_browser.sh): two townships, a village in
# each, a login of every kind, a quarter of vouchers in V1, its sheets
# published.  Source after lib.sh and fresh_db.
V1=360925100201
V2=360925101201
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level township --code 360925101 --name 宝峰镇 --parent 360925 >/dev/null
cj org add --level village --code $V1 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code $V2 --name 马尾山村 --parent 360925101 --start 2025-01 >/dev/null
cj disclose hotline --code 360925 --phone 0795-4662345 >/dev/null
login_add pub_bk1 张会计 bookkeeper 360925100
login_add pub_bk2 李会计 bookkeeper 360925101
login_add pub_rev1 赵主管 reviewer 360925100
login_add pub_board1 周口村监委 board $V1
login_add pub_board2 马尾山村监委 board $V2
login_add pub_insp 纪检组 inspector 360925
expect 0 -- as_login pub_bk1 post --village $V1 --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1,000.00 --debit 102=50,000.00 --credit 311=51,000.00
expect 0 -- as_login pub_bk1 post --village $V1 --date 2025-02-10 --summary 支付办公费 \
	--debit 513=345.60 --credit 102=345.60
expect 0 -- as_login pub_bk1 post --village $V1 --date 2025-02-15 --summary 收到场地费现金 \
	--debit 101=5,000.00 --credit 501=5,000.00
expect 0 -- as_login pub_bk1 post --village $V1 --date 2025-03-20 --summary 收到土地租金 \
	--debit 102=12,000.00 --credit 501=12,000.00
expect 0 -- as_login pub_bk2 post --village $V2 --date 2025-01-01 --summary 期初余额 --opening \
	--debit 102=8,000.00 --credit 311=8,000.00
expect 0 -- as_login pub_bk1 publish --village $V1 --period 2025Q1 --date 2025-04-15
