#!/usr/bin/env bash
# What the CLI now refuses, as the bookkeeper meets it: an opening voucher
# mid-year, a line of 92,233,720,368,547,758.07, a cash payment larger than
# the cash on hand (and the recorded override), a dividend from borrowed
# money, a dividend paid by bank to a household without an account; and
# `cunji check` naming a gap and a jam in voucher numbers.
source "$(dirname "$0")/lib.sh"
fresh_db guardstest

V=360925100201
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code $V --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village $V --code 102001 --name 农商行 >/dev/null

# ---- opening balances: the books' first month only
expect 0 -- cj post --village $V --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1,000.00 --debit 102001=5,000.00 --credit 311=6,000.00
expect 1 --err "an opening voucher (期初余额) belongs in the books' first month, 2025-01, not in 2025-05" -- \
	cj post --village $V --date 2025-05-20 --summary 期初余额 --opening --debit 101=500 --credit 501=500

# ---- a line's largest amount; the trial balance stays balanced
expect 1 --err "more than a line may carry (100,000,000,000.00 yuan)" -- \
	cj post --village $V --date 2025-03-05 --summary 大额 --debit 102001=92,233,720,368,547,758.07 \
	--credit 501=92,233,720,368,547,758.07
expect 0 --out "试算平衡：" -- cj tb --village $V --year 2025
check_eq "nothing of the refused line" "$(sql "SELECT count(*) FROM voucher WHERE summary = '大额'")" 0

# ---- cash on hand: 1,000.00
expect 1 --err "account 101 库存现金 would be 4,000.00 yuan in credit at the end of 2025-05" -- \
	cj post --village $V --date 2025-05-06 --summary 付现 --debit 513=5000 --credit 101=5000
expect 2 --err "--allow-negative-cash and --reason TEXT go together" -- \
	cj post --village $V --date 2025-05-06 --summary 付现 --debit 513=5000 --credit 101=5000 --allow-negative-cash
expect 0 --out "posted" -- cj post --village $V --date 2025-05-06 --summary 出纳垫付 --debit 513=5000 \
	--credit 101=5000 --allow-negative-cash --reason '出纳个人垫付4000元, 6月报销时冲回, 见情况说明'
check_eq "the reason is on the voucher" \
	"$(sql "SELECT negative_cash_reason FROM voucher WHERE summary = '出纳垫付'")" \
	"出纳个人垫付4000元, 6月报销时冲回, 见情况说明"
expect 0 --out "negative-cash-reason:出纳个人垫付4000元, 6月报销时冲回, 见情况说明" -- \
	cj export journal --village $V --year 2025
expect 0 -- cj post --village $V --date 2025-05-07 --summary 提现 --debit 101=4000 --credit 102001=4000
# voiding a receipt whose cash was spent: the same rule, the same recorded override
expect 0 -- cj post --village $V --date 2025-05-08 --summary 收零星收入 --id R0508 --debit 101=300 --credit 501=300
expect 0 -- cj post --village $V --date 2025-05-09 --summary 付办公费 --debit 513=300 --credit 101=300
expect 1 --err "account 101 库存现金 would be 300.00 yuan in credit at the end of 2025-05" -- \
	cj void --village $V --id R0508
expect 2 --err "--allow-negative-cash and --reason TEXT go together" -- \
	cj void --village $V --id R0508 --allow-negative-cash
expect 0 --out "voided by red reversal" -- cj void --village $V --id R0508 --allow-negative-cash \
	--reason '收入误记, 现金已付办公费, 见情况说明'
check_eq "the reason is on the reversal" \
	"$(sql "SELECT negative_cash_reason FROM voucher WHERE kind = 'reversal'")" \
	"收入误记, 现金已付办公费, 见情况说明"
expect 0 -- cj post --village $V --date 2025-05-10 --summary 补记收入 --debit 101=300 --credit 501=300

# ---- dividends: 45,000 of income uncollected in 应收款, a loan of 45,000 in the bank
cj member add --village $V --household H01 --head 张建国 --id 11010519491231002X --share 人口股=2 >/dev/null
cj member add --village $V --household H02 --head 刘秀英 --id 110105196001010033 --share 人口股=1 \
	--bank 农商行 --account '6217 0002' >/dev/null
expect 0 -- cj post --village $V --date 2025-06-01 --summary 应收承包费 --debit 112=50,000 --credit 501=50,000
expect 0 -- cj post --village $V --date 2025-11-01 --summary 短期借款 --debit 102001=45,000 --credit 201=45,000
expect 1 --err "严禁举债分配" -- cj dividend post --village $V --year 2025 --date 2025-12-31 --pool 40000
check_eq "nothing declared" "$(sql "SELECT count(*) FROM dividend_plan")" 0
expect 0 --out "可用自有资金" -- cj dividend plan --village $V --year 2025
# collected, and the loan repaid: the distribution is covered
expect 0 -- cj post --village $V --date 2025-12-01 --summary 收回承包费 --debit 102001=50,000 --credit 112=50,000
expect 0 -- cj post --village $V --date 2025-12-02 --summary 归还借款 --debit 201=45,000 --credit 102001=45,000
expect 0 -- cj dividend post --village $V --year 2025 --date 2025-12-31 --pool 30000
expect 1 --err "1 household has no bank account on record, so its 2025 dividend cannot be paid by bank: H01 张建国; complete the register first (cunji member bank)" -- \
	cj dividend pay --village $V --year 2025 --date 2025-12-31
check_eq "nobody paid" "$(sql "SELECT count(*) FROM dividend_line WHERE paid_voucher_id IS NOT NULL")" 0
expect 0 -- cj member bank --village $V --household H01 --bank 农商行 --account '6217 0001'
expect 0 --out "paid 2 household(s)" -- cj dividend pay --village $V --year 2025 --date 2025-12-31

# ---- cunji check: gaps and jams that only a superuser with the triggers off can make
expect 0 --out "without a gap" -- cj check
sql "SET session_replication_role = replica;
     UPDATE voucher_counter SET last_number = 9 WHERE period = '2025-11-01';
     UPDATE voucher_counter SET last_number = 1 WHERE period = '2025-05-01'" >/dev/null
expect 1 --err "2025-11: voucher_counter is at 9 but the highest number is 1: numbers 2 to 9 were handed out and never used (a gap)" -- \
	cj check
expect 1 --err "2025-05: voucher_counter is at 1 but the highest number is 6: the month is jammed" -- cj check
finish
