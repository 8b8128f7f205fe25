#!/usr/bin/env bash
# Thirty villages at once (issue 17): period close and year close for a
# township (--township, --villages), each village all or nothing, a refused
# village never stopping the others, a summary naming what is left; what
# cannot be undone asks on a terminal and needs --yes without one; year
# close refuses months never posted unless told they are empty.
source "$(dirname "$0")/lib.sh"
fresh_db township
T=$(mktemp -d)
trap 'rm -rf "$T" "$out" "$err"' EXIT
A=360925100201 B=360925100202 C=360925100203
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code $A --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code $B --name 马尾山村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code $C --name 西村 --parent 360925100 --start 2024-12 >/dev/null
for v in $A $B $C; do
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		cj post --village $v --date 2025-$m-05 --summary 收到承包费 --debit 101=100 --credit 501=100 >/dev/null
	done
done
cj period close --village $A --period 2025-01 >/dev/null
cj period close --village $B --period 2025-01 >/dev/null
closed() { sql "SELECT string_agg(o.code || ':' || to_char(s.period, 'YYYY-MM'), ',' ORDER BY o.code, s.period) FROM period_state s JOIN org o ON o.id = s.village_id WHERE s.closed"; }

# not on a terminal, the township's close needs --yes; a dry run does nothing
expect 2 --err "cannot be undone; not on a terminal, it is done only with --yes" -- \
	cj period close --township 360925100 --period 2025-02 </dev/null
expect 0 --out "would run close of 2025-02 for 3 villages" -- cj period close --township 360925100 --period 2025-02 --dry-run
check_eq "nothing closed yet" "$(closed)" "$A:2025-01,$B:2025-01"
# C's earlier months are open: C is refused, A and B closed
expect 1 --out "close of 2025-02: 2 villages done, 1 refused, 0 left; still to do: $C" -- \
	cj period close --township 360925100 --period 2025-02 --yes
grep -q "^$C .*refused .*earlier month" "$out" || { echo "FAIL: the summary says why $C was refused"; cat "$out"; failures=$((failures + 1)); }
grep -q "^$A .*done .*2025-02 closed" "$out" || { echo "FAIL: $A done"; failures=$((failures + 1)); }
check_eq "A and B closed, C untouched" "$(closed)" "$A:2025-01,$A:2025-02,$B:2025-01,$B:2025-02"
# a list of villages
expect 0 --out "close of 2025-03: 2 villages done, 0 refused, 0 left" -- \
	cj period close --villages $A,$B --period 2025-03 --yes
expect 1 --err "is a township, not a village" -- cj period close --villages 360925100 --period 2025-04 --yes

# on a terminal it asks; 'n' does nothing
if command -v script >/dev/null; then
	checks=$((checks + 1))
	echo n | script -qec "$CUNJI_BIN --db $DB year close --village $A --year 2025 --empty-months-ok" /dev/null >"$T/tty.txt" 2>&1
	if ! grep -q "cannot be undone.  Go ahead" "$T/tty.txt" || ! grep -q "nothing was done" "$T/tty.txt"; then
		echo "FAIL: year close asks on a terminal"; cat "$T/tty.txt"; failures=$((failures + 1))
	fi
	check_eq "not closed after 'n'" "$(sql "SELECT count(*) FROM fiscal_year")" 0
fi

# year close: C's December 2024 was never posted
expect 1 --err "year 2024 has months with no voucher posted: 2024-12" -- \
	cj year close --village $C --year 2024 --yes
expect 2 --err "cannot be undone" -- cj year close --village $A --year 2025 </dev/null
# the township: C cannot close 2025 before 2024; A and B close, each whole
expect 1 --out "year-end close of 2025: 2 villages done, 1 refused, 0 left; still to do: $C" -- \
	cj year close --township 360925100 --year 2025 --yes
grep -q "^$C .*refused .*year 2024 must be closed before year 2025" "$out" || { echo "FAIL: why C was refused"; cat "$out"; failures=$((failures + 1)); }
check_eq "closed years" "$(sql "SELECT string_agg(o.code || ':' || f.year, ',' ORDER BY o.code) FROM fiscal_year f JOIN org o ON o.id = f.village_id")" "$A:2025,$B:2025"
check_eq "C has no closing voucher (all or nothing)" \
	"$(sql "SELECT count(*) FROM voucher v JOIN org o ON o.id = v.village_id WHERE o.code = '$C' AND v.kind = 'closing'")" 0
finish
