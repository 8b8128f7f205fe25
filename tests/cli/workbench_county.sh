# A small county for the inspector's reads (sourced by test_workbench.sh):
# an allocation 靖财农〔2025〕12号 received and spent on a project that was
# accepted, an aid household, a person (周大, ID1) with households in two
# villages paid a dividend in one and declared in the other, one company
# written three ways, and a clean village.

idn() { # idn SEQ: a valid resident ID of 靖安县, born 1970-01-01
	python3 -c "
s='36092519700101'+'%03d'%int('$1')
w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(s+'10X98765432'[sum(int(a)*b for a,b in zip(s,w))%11])"
}
P() { cj post "$@" >/dev/null || { echo "FAIL: post $*"; exit 1; }; }
Q() { "$@" >/dev/null || { echo "FAIL: $*"; exit 1; }; }

Q cj org add --level county --code 360925 --name 靖安县
Q cj org add --level township --code 360925100 --name 双溪镇 --parent 360925
Q cj org add --level township --code 360925200 --name 仁首镇 --parent 360925
for v in 360925100101 360925100102 360925200201 360925200202; do
	Q cj org add --level village --code "$v" --name "村${v: -3}" --parent "${v:0:9}" --start 2025-01
	Q cj account add --village "$v" --code 102001 --name 农商行
	P --village "$v" --date 2025-01-01 --summary 期初余额 --opening --debit 101=2000 \
		--debit 102001=200000 --credit 311=202000
done
ID1=$(idn 11) ID2=$(idn 12) ID3=$(idn 13)

# 101: the allocation, a project paid in two tranches and accepted, aid to H01
Q cj fund allocate --county 360925 --doc '靖财农〔2025〕12号' --doc-date 2025-03-01 --code XJ --name 衔接资金 \
	--kind 衔接推进乡村振兴补助资金 --source 中央 --amount 150000 --to 360925100101=100000 --to 360925200201=50000
P --village 360925100101 --date 2025-03-10 --summary 收到衔接资金 --fund XJ --debit 102001=100000 --credit 241=100000
Q cj project add --village 360925100101 --code P1 --name 村组道路 --category 基础设施 --budget XJ=90000
Q cj project start --village 360925100101 --code P1 --date 2025-04-01
Q cj project pay --village 360925100101 --project P1 --tranche 预付 --payee 靖安县路通建设工程有限公司 \
	--amount 30000 --date 2025-04-02 --fund XJ
Q cj project pay --village 360925100101 --project P1 --tranche 进度款 --payee 靖安县路通建设工程有限公司 \
	--amount 50000 --date 2025-06-02 --fund XJ
Q cj project accept --village 360925100101 --code P1 --date 2025-07-01 --asset-kind 公益性
Q cj member add --village 360925100101 --household H01 --head 周大 --id "$ID1" --account '6221 8800 11' \
	--person "周小:$ID2:子女" --share '人口股=2'
Q cj member add --village 360925100101 --household H02 --head 吴二 --id "$ID3" --share '人口股=1'
Q cj fund add --village 360925100101 --code FX --name 防返贫基金 --kind 防返贫基金 --source 县 --amount 20000
P --village 360925100101 --date 2025-02-01 --summary 县拨防返贫基金 --fund FX --debit 102001=20000 --credit 241=20000
Q cj aid rule --county 360925 --per-person 3000 --per-household 5000 --times 2 --min-endowment 10000
Q cj aid pay --village 360925100101 --fund FX --household H01 --persons 2 --amount 4000 --date 2025-05-06 \
	--reason 因病 --applicant 村委会 --township-review 镇审核同意 --county-record 县备案
P --village 360925100101 --date 2025-10-01 --summary 发包收入 --debit 102001=30000 --credit 501=30000
Q cj dividend post --village 360925100101 --year 2025 --date 2025-12-20 --pool 9000
Q cj dividend pay --village 360925100101 --year 2025 --date 2025-12-22 --household H01
# the son paid by name for labour, in cash
P --village 360925100101 --date 2025-08-03 --summary 劳务费 --debit 513=800 --credit '101=800;周小'

# 102: the company, full-width with a space; a supplier of 9,500
P --village 360925100102 --date 2025-05-10 --summary 购材料 --debit 153=12000 --credit '102001=12000;ＡＢＣ 商贸有限公司'
P --village 360925100102 --date 2025-05-11 --summary 购水泥 --debit 153=9500 --credit '102001=9500;某建材店'
# ... and three payments of 3,400 on three days: R27, split under the 10,000 limit
for d in 04 05 06; do
	P --village 360925100102 --date 2025-08-$d --summary 支付工程款 --debit 153=3400 --credit '102001=3400;赵某工程队'
done

# 201: the allocation received; 周大 heads a household here too, declared a
# dividend, not paid; the company as 有限责任公司
P --village 360925200201 --date 2025-03-12 --summary 收到衔接资金 --fund XJ --debit 102001=50000 --credit 241=50000
Q cj member add --village 360925200201 --household H07 --head 周大 --id "$ID1" --share '人口股=1'
Q cj member add --village 360925200201 --household H08 --head 郑三 --id "$(idn 14)" --share '人口股=1'
P --village 360925200201 --date 2025-09-01 --summary 发包收入 --debit 102001=10000 --credit 501=10000
Q cj dividend post --village 360925200201 --year 2025 --date 2025-12-20 --pool 4000
P --village 360925200201 --date 2025-06-15 --summary 购办公桌 --debit 513=3000 --credit '102001=3000;abc商贸有限责任公司'
# 202: clean, a company of another name
P --village 360925200202 --date 2025-06-15 --summary 支付物业费 --debit 513=3000 --credit '102001=3000;靖安县物业服务有限公司'
