#!/usr/bin/env bash
# The demo on a small county: it builds, closes the year and balances.
source "$(dirname "$0")/lib.sh"
DB=cunji_demo
expect 0 --out "试算平衡" -- "$CUNJI_BIN" demo --villages 12 --vouchers 60
expect 0 --out "(12 个村汇总" -- "$CUNJI_BIN" --db cunji_demo tb --county 360925 --year 2025
expect 0 --out "ok:" -- "$CUNJI_BIN" --db cunji_demo check
check_eq "villages" "$(sql "SELECT count(*) FROM org WHERE level = 'village'")" 12
check_eq "years closed" "$(sql "SELECT count(*) FROM fiscal_year WHERE year = 2025")" 12
check_eq "P&L left after close" "$(sql "SELECT count(*) FROM (SELECT 1 FROM account_period_total t JOIN account a ON a.village_id = t.village_id AND a.code = t.account_code WHERE a.category IN ('income','expense') GROUP BY t.village_id, t.account_code HAVING sum(debit_fen - credit_fen) <> 0) s")" 0
# a second run starts again from scratch
expect 0 --out "试算平衡" -- "$CUNJI_BIN" demo --villages 3 --vouchers 10
check_eq "villages after rerun" "$(sql "SELECT count(*) FROM org WHERE level = 'village'")" 3
finish
