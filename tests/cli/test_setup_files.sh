#!/bin/bash
# org add --file and account add --file: a county's organisations and
# sub-accounts in one command each, all or nothing, the same books as one
# command per row; a bad row named by file and row, nothing added.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out" "$err"' EXIT

cat >"$tmp/orgs.csv" <<'CSV'
level,code,name,parent,books_from
county,360925,靖安县,,
township,360925100,双溪镇,360925,
village,360925100201,周口村,360925100,2025-01
village,360925100202,马尾山村,360925100,2025-03
CSV
cat >"$tmp/accounts.csv" <<'CSV'
village,code,name
360925100201,102001,农商行
360925100201,102001001,基本户
360925100202,501001,发包收入
CSV

# one command per row, for the books to compare with
fresh_db cunji_test_setup_one
expect 0 -- cj org add --level county --code 360925 --name 靖安县
expect 0 -- cj org add --level township --code 360925100 --name 双溪镇 --parent 360925
expect 0 -- cj org add --level village --code 360925100201 --name 周口村 --parent 360925100 --start 2025-01
expect 0 -- cj org add --level village --code 360925100202 --name 马尾山村 --parent 360925100 --start 2025-03
expect 0 -- cj account add --village 360925100201 --code 102001 --name 农商行
expect 0 -- cj account add --village 360925100201 --code 102001001 --name 基本户
expect 0 -- cj account add --village 360925100202 --code 501001 --name 发包收入
cj org list --format csv >"$tmp/one-orgs.csv"
for v in 360925100201 360925100202; do cj account list --village $v --format csv; done >"$tmp/one-accounts.csv"

fresh_db cunji_test_setup_file
expect 0 --out "added 4 organisations from $tmp/orgs.csv: 1 county, 1 townships, 2 villages" \
	-- cj org add --file "$tmp/orgs.csv"
expect 0 --out "added 3 accounts from $tmp/accounts.csv" -- cj account add --file "$tmp/accounts.csv"
cj org list --format csv >"$tmp/file-orgs.csv"
for v in 360925100201 360925100202; do cj account list --village $v --format csv; done >"$tmp/file-accounts.csv"
check_eq "the same organisations" "$(cat "$tmp/file-orgs.csv")" "$(cat "$tmp/one-orgs.csv")"
check_eq "the same charts" "$(cat "$tmp/file-accounts.csv")" "$(cat "$tmp/one-accounts.csv")"
# the file's accounts in one statement: one audit record for village 201's
# two (0047), the trail verified
check_eq "one audit record for a village's accounts of the file" "$(sql "SELECT count(*) FROM audit_log
	WHERE tbl = 'account' AND jsonb_typeof(new) = 'array' AND new @> '[{\"code\": \"102001001\"}]'")" 1
expect 0 --err "intact" -- cj audit verify
# what org list writes, org add --file reads
fresh_db cunji_test_setup_file
expect 0 -- cj org add --file "$tmp/one-orgs.csv"
cj org list --format csv >"$tmp/again.csv" # with its BOM, as a file gets it
check_eq "org list --format csv read back" "$(cat "$tmp/again.csv")" "$(cat "$tmp/one-orgs.csv")"

# a bad row: named, and nothing of the file added
fresh_db cunji_test_setup_file
printf 'level,code,name,parent\ncounty,360925,靖安县,\ntownship,360925100,双溪镇,360925\nvillage,360926100201,外县村,360925100\n' >"$tmp/bad-orgs.csv"
expect 1 --err "bad-orgs.csv: row 4: " -- cj org add --file "$tmp/bad-orgs.csv"
check_eq "nothing added" "$(sql "SELECT count(*) FROM org")" 0
printf 'level,code,name\ncity,360925,靖安县\n' >"$tmp/bad-level.csv"
expect 1 --err "bad-level.csv: row 2, column level: 'city' is not 县, 乡镇 or 村" -- cj org add --file "$tmp/bad-level.csv"
printf 'level,name\ncounty,靖安县\n' >"$tmp/no-code.csv"
expect 1 --err "no-code.csv: row 1: the header lacks the column 代码 (code)" -- cj org add --file "$tmp/no-code.csv"
expect 2 --err "from the file alone" -- cj org add --file "$tmp/orgs.csv" --code 360925
expect 0 -- cj org add --file "$tmp/orgs.csv"
printf 'village,code,name\n360925100201,102001,农商行\n360925100201,102,银行存款\n' >"$tmp/bad-accounts.csv"
expect 1 --err "bad-accounts.csv: row 3: " -- cj account add --file "$tmp/bad-accounts.csv"
check_eq "no account added" "$(sql "SELECT count(*) FROM account WHERE code = '102001'")" 0
# refused by the database (no parent 999): the row named all the same
printf 'village,code,name\n360925100201,102001,农商行\n360925100201,999001,无此科目\n' >"$tmp/no-parent.csv"
expect 1 --err "no-parent.csv: row 3: account 999001: no parent account 999 exists" \
	-- cj account add --file "$tmp/no-parent.csv"
check_eq "no account of that file added" "$(sql "SELECT count(*) FROM account WHERE code = '102001'")" 0
printf 'village,code,name\n360925100209,102001,农商行\n' >"$tmp/no-village.csv"
expect 1 --err "no-village.csv: row 2, column village: '360925100209' is not a village's code" -- cj account add --file "$tmp/no-village.csv"
# Chinese headers, and a month for a county refused
printf '级别,代码,名称,上级代码,建账月份\n县,360925,靖安县,,2025-01\n' >"$tmp/zh-orgs.csv"
expect 1 --err "zh-orgs.csv: row 2, column 建账月份: '2025-01' is for villages" -- cj org add --file "$tmp/zh-orgs.csv"
finish
