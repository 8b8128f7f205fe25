# A county with planted anomalies for the warning rules (sourced by
# test_audit_scan.sh and bench/bench_audit_scan.sh's check): villages
# 360925100101 … 110 and 360925200201, 202; each anomaly sits in a village of
# its own where it can, and 109, 110 and 202 are clean (R30 is planted in
# 109 and 110 at the end of test_audit_scan.sh).  EXPECTED lists every
# finding the default thresholds must give, as village rule amount.

idn() { # idn SEQ: a valid resident ID of 靖安县, born 1970-01-01
	python3 -c "
s='36092519700101'+'%03d'%int('$1')
w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(s+'10X98765432'[sum(int(a)*b for a,b in zip(s,w))%11])"
}

P() { cj post "$@" >/dev/null || { echo "FAIL: post $*"; exit 1; }; }

cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level township --code 360925200 --name 仁首镇 --parent 360925 >/dev/null
VILLAGES="360925100101 360925100102 360925100103 360925100104 360925100105 360925100106
360925100107 360925100108 360925100109 360925100110 360925200201 360925200202"
for v in $VILLAGES; do
	cj org add --level village --code "$v" --name "村${v: -3}" --parent "${v:0:9}" --start 2025-01 >/dev/null
	cj account add --village "$v" --code 102001 --name 农商行 >/dev/null
	# an ordinary clean year: opening, cash income deposited the next day, a
	# bank payment to a company, a small cash expense
	P --village "$v" --date 2025-01-01 --summary 期初余额 --opening --debit 101=2000 \
		--debit 102001=200000 --credit 311=202000
	P --village "$v" --date 2025-02-10 --summary 收取租金 --debit 101=800 --credit '501=800;租户'
	P --village "$v" --date 2025-02-11 --summary 现金存行 --debit 102001=800 --credit 101=800
	P --village "$v" --date 2025-03-05 --summary 支付物业费 --debit 513=3000 \
		--credit '102001=3000;靖安县物业服务有限公司'
	P --village "$v" --date 2025-04-02 --summary 购办公用品 --debit 513=300 --credit '101=300;靖安县文具店'
done

# 101: R08 cash above 5,000 (10,700 on 05-06) and R11 a cash payment of 8,000
P --village 360925100101 --date 2025-05-06 --summary 提取现金 --debit 101=9000 --credit 102001=9000
P --village 360925100101 --date 2025-05-08 --summary 支付劳务费 --debit 513=8000 --credit '101=8000;王五'
# 102: R09 cash in credit (-3,300 on 06-03), R11 its payment of 5,000
P --village 360925100102 --date 2025-06-03 --summary 发放补贴 --debit 513=5000 --credit '101=5000;个人李某' \
	--allow-negative-cash --reason 先付后补
P --village 360925100102 --date 2025-06-20 --summary 提取现金 --debit 101=5000 --credit 102001=5000
# 103: R10 cash income never deposited; R22 a project past its end, paid, not accepted
P --village 360925100103 --date 2025-07-01 --summary 收取场地费 --debit 101=600 --credit '501=600;张某'
# … and pays 2,000 out of the till the next day, leaving 300 of it: R09 (坐支
# 300) and R11 (a cash payment above 1,000)
P --village 360925100103 --date 2025-07-02 --summary 支付修缮费 --debit 513=2000 --credit '101=2000;某修缮队'
cj project add --village 360925100103 --code P1 --name 村组道路 --category 基础设施 --budget 村=50000 \
	--start 2025-03-01 --end 2025-06-30 >/dev/null
cj project start --village 360925100103 --code P1 --date 2025-03-01 >/dev/null
cj project pay --village 360925100103 --project P1 --tranche 预付 --payee 靖安县路通建设工程有限公司 \
	--amount 10000 --date 2025-03-15 >/dev/null
# 104: R13 an advance to a person never settled; R26 he is on the roster (by name)
P --village 360925100104 --date 2025-03-10 --summary 预借差旅费 --debit '112=2000;张三' --credit '102001=2000;张三'
cj official add --village 360925100104 --name 张三 --post 报账员 >/dev/null
# … and R11: 12,000 of works paid by bank to a person, not to the contractor
P --village 360925100104 --date 2025-09-01 --summary 支付村道硬化工程款 --debit 153=12000 --credit '102001=12000;李某'
# 105: 衔接 money received and never spent (R21 300,000); a 5,000 bonus and a
# 2,000 transfer to income charged to 241 without the tag (R19 twice, the
# balance 7,000 off, R24 the transfer)
cj fund add --village 360925100105 --code XJ --name 衔接资金 --kind 衔接推进乡村振兴补助资金 --source 中央 \
	--amount 300000 >/dev/null
P --village 360925100105 --date 2025-03-10 --summary 收到衔接资金 --fund XJ --debit 102001=300000 --credit 241=300000
P --village 360925100105 --date 2025-04-01 --summary 发放奖金 --debit 241=5000 --credit '102001=5000;刘某'
P --village 360925100105 --date 2025-04-02 --summary 专项资金转收入 --debit 241=2000 --credit 504=2000
# 106: 241 and 231 debited with nothing in them: R19 twice, both balances
# off, R20 241 in debit, R23 231 in debit
P --village 360925100106 --date 2025-05-01 --summary 支付工程款 --debit 241=3000 --credit '102001=3000;某工程队'
P --village 360925100106 --date 2025-05-02 --summary 支付维修费 --debit 231=1000 --credit '102001=1000;某维修部'
# 107: R27 three payments of 9,900 on three days; R27 a person paid here and in 201
for d in 04 05 06; do
	P --village 360925100107 --date 2025-08-$d --summary 支付工程款 --debit 153=9900 --credit '102001=9900;赵某工程队'
done
P --village 360925100107 --date 2025-08-20 --summary 劳务费 --debit 513=500 --credit '102001=500;钱某'
P --village 360925200201 --date 2025-08-21 --summary 劳务费 --debit 513=500 --credit '102001=500;钱某'
# 108: R31 the bank in credit (-53,000 on 12-05), then a loan, then a
# distribution 10 days later (R29; a long-term loan, which the plan's own-cash check does not subtract) while its income sits in 应收款; the
# household's head is the village head (R26 dividend) and is also a member
# in 201 (R28: one ID paid a dividend in two villages)
P --village 360925100108 --date 2025-10-01 --summary 应收发包收入 --debit '112=20000;承包户' --credit 501=20000
P --village 360925100108 --date 2025-12-05 --summary 支付工程款 --debit 153=250000 --credit '102001=250000;某建设公司' \
	--allow-negative-cash --reason 先付后借
P --village 360925100108 --date 2025-12-10 --summary 借款 --debit 102001=100000 --credit '221=100000;农商银行'
ID1=$(idn 11)
for v in 360925100108 360925200201; do
	cj member add --village $v --household H01 --head 周大 --id "$ID1" --share '人口股=1' >/dev/null
	cj member add --village $v --household H02 --head 吴二 --id "$(idn "${v: -2}")" --share '人口股=1' \
		--bank 农商行 --account '6217 0000 0000 0001' >/dev/null
done
P --village 360925200201 --date 2025-10-01 --summary 发包收入 --debit 102001=10000 --credit 501=10000
cj official add --village 360925100108 --name 周大 --id-number "$ID1" --post 村委会主任 >/dev/null
cj dividend post --village 360925100108 --year 2025 --date 2025-12-20 --pool 10000 >/dev/null
cj dividend post --village 360925200201 --year 2025 --date 2025-12-20 --pool 5000 >/dev/null
# R27: H02 of 108 and H02 of 201 have one bank account, paid by both villages;
# R28: 201 pays a dividend to someone on neither register
for v in 360925100108 360925200201; do
	cj dividend pay --village $v --year 2025 --date 2025-12-25 --household H02 >/dev/null
done
P --village 360925200201 --date 2025-12-26 --summary 支付分红 --debit '211090=500;郑某' --credit 102001=500

# 202: a payable of 3,000 open since 02-01: R25 only once the township says 100 days
P --village 360925200202 --date 2025-02-01 --summary 购材料 --debit 513=3000 --credit '211=3000;某材料商'

EXPECTED="360925100101 R08 10700.00
360925100101 R11 8000.00
360925100102 R09 -3300.00
360925100102 R11 5000.00
360925100103 R09 300.00
360925100103 R10 600.00
360925100103 R11 2000.00
360925100103 R22 10000.00
360925100104 R11 12000.00
360925100104 R13 2000.00
360925100104 R26 2000.00
360925100105 R19 2000.00
360925100105 R19 5000.00
360925100105 R19 7000.00
360925100105 R21 300000.00
360925100105 R24 2000.00
360925100106 R19 1000.00
360925100106 R19 1000.00
360925100106 R19 3000.00
360925100106 R19 3000.00
360925100106 R20 3000.00
360925100106 R23 1000.00
360925100107 R27 29700.00
360925100107 R27 500.00
360925100108 R26 DIV
360925100108 R27 DIV2
360925100108 R28 DIV
360925100108 R29 10000.00
360925100108 R31 -52200.00
360925200201 R27 500.00
360925200201 R27 DIV2
360925200201 R28 500.00
360925200201 R28 DIV"
