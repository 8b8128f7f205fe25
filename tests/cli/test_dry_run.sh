#!/usr/bin/env bash
# A dry run refuses what the real run refuses (issue 17): the database's
# checks at COMMIT (cash and bank never in credit at a month's end) run in
# the dry run too, as do a closed month's; and nothing is written.
source "$(dirname "$0")/lib.sh"
fresh_db dryrun
T=$(mktemp -d)
trap 'rm -rf "$T" "$out" "$err"' EXIT

cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code 360925100201 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village 360925100201 --code 102001 --name 农商行 >/dev/null

# cash out of an empty till: refused at COMMIT, so by the dry run too
printf '村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n360925100201,2025-04-05,1,付,513,5,\n360925100201,2025-04-05,1,付,101,,5\n' >"$T/cash.csv"
for jobs in 1 2; do
	expect 1 --err "account 101 库存现金 would be 5.00 yuan in credit" -- cj import vouchers "$T/cash.csv" --dry-run --jobs $jobs
done
expect 1 --err "account 101 库存现金 would be 5.00 yuan in credit" -- cj import vouchers "$T/cash.csv"
# a bank statement taking the account below zero
printf '交易日期,摘要,对方户名,收入金额,支出金额,余额\n2025-04-05,付款,张三,,5,-5\n' >"$T/bank.csv"
printf 'if 付款\n  account 513\n' >"$T/rules.txt"
expect 1 --err "account 102001 农商行 would be 5.00 yuan in credit" -- \
	cj import bank --village 360925100201 --account 102001 --rules "$T/rules.txt" --file "$T/bank.csv" --dry-run
expect 1 --err "account 102001 农商行 would be 5.00 yuan in credit" -- \
	cj import bank --village 360925100201 --account 102001 --rules "$T/rules.txt" --file "$T/bank.csv"
# a closed month
for m in 01 02 03; do cj period close --village 360925100201 --period 2025-$m >/dev/null; done
printf '村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n360925100201,2025-03-05,1,收,101,5,\n360925100201,2025-03-05,1,收,501,,5\n' >"$T/march.csv"
expect 1 --err "period 2025-03 of village 360925100201 is closed" -- cj import vouchers "$T/march.csv" --dry-run
printf '交易日期,摘要,对方户名,收入金额,支出金额,余额\n2025-03-05,收款,张三,5,,5\n' >"$T/bank3.csv"
printf 'if 收款\n  account 501\n' >"$T/rules3.txt"
expect 1 --err "period 2025-03 of village 360925100201 is closed" -- \
	cj import bank --village 360925100201 --account 102001 --rules "$T/rules3.txt" --file "$T/bank3.csv" --dry-run
# a clean file's dry run still passes, and writes nothing
printf '村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n360925100201,2025-04-05,1,收,101,5,\n360925100201,2025-04-05,1,收,501,,5\n' >"$T/ok.csv"
expect 0 --out "would post 1 voucher" -- cj import vouchers "$T/ok.csv" --dry-run
check_eq "nothing written" "$(sql "SELECT count(*) FROM voucher")" 0
finish
