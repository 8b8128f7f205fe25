#!/usr/bin/env bash
# po/zh_CN.po translates every message of the sources: the template is
# extracted again from the sources as they are (po/pot.sh), merged into a
# copy of zh_CN.po, and every untranslated or fuzzy msgid is listed; msgfmt
# checks that each translation keeps its format's conversions.
set -uo pipefail
src=${CUNJI_SRC:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# the database's refusals are translated by their RAISE patterns (ledger/lib/db_messages.c)
python3 "$src/po/db_messages.py" "$src/schema/current.sql" "$tmp/db_messages.h" || exit 1
if ! cmp -s "$tmp/db_messages.h" "$src/ledger/lib/db_messages.h"; then
	echo "FAIL: ledger/lib/db_messages.h is not the RAISE messages of schema/current.sql;"
	echo "      cmake --build build --target update-po, then translate (po/README)"
	failures=$((failures + 1))
fi
bash "$src/po/pot.sh" "$src" "$tmp/cunji.pot" || exit 1
msgmerge --quiet --no-wrap --no-fuzzy-matching "$src/po/zh_CN.po" "$tmp/cunji.pot" -o "$tmp/zh_CN.po" || exit 1
for kind in untranslated only-fuzzy; do
	msgattrib --no-wrap --no-obsolete "--$kind" "$tmp/zh_CN.po" -o "$tmp/$kind.po" || exit 1
	n=$(grep -c '^msgid ' "$tmp/$kind.po" 2>/dev/null)
	n=$((${n:-0} > 0 ? ${n:-0} - 1 : 0)) # the header
	if [ "$n" -gt 0 ]; then
		echo "FAIL: $n ${kind#only-} message(s) in po/zh_CN.po (see po/README):"
		grep -A3 '^#: ' "$tmp/$kind.po" | grep -E '^(#:|msgid|")' | sed 's/^/  /'
		failures=$((failures + 1))
	fi
done
if ! msgfmt --check-format --check-header -o /dev/null "$tmp/zh_CN.po"; then
	echo "FAIL: msgfmt --check-format refuses po/zh_CN.po"
	failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "ok: every message of the sources is translated"
exit $((failures > 0))
