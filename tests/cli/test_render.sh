#!/usr/bin/env bash
# The renderers on the sample reports (tests/unit/render_sample.h), read back
# with tools we did not write: the text against its golden file, the XLSX
# with openpyxl (every formula re-evaluated, sheet names), the PDF with
# pdftotext and pdffonts.  usage: test_render.sh RENDER_SAMPLE_BINARY
set -uo pipefail
: "${CUNJI_SRC:?}"
PY=/usr/bin/python3
failures=0
checks=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { checks=$((checks + 1)); "$@" || fail "$*"; }

mkdir "$dir/layout"
"$1" "$dir/sample" "$dir/layout/sheets" || { echo "FAIL: render_sample"; exit 1; }

checks=$((checks + 1))
if ! diff -u "$CUNJI_SRC/tests/golden/render/sample.txt" "$dir/sample.txt"; then
	fail "text differs from tests/golden/render/sample.txt (if intended: cp $dir/sample.txt there)"
fi

check $PY "$CUNJI_SRC/tests/cli/check_xlsx.py" "$dir/sample.xlsx"
checks=$((checks + 1))
names=$($PY -c 'import openpyxl, sys; print("|".join(openpyxl.load_workbook(sys.argv[1]).sheetnames))' "$dir/sample.xlsx")
want='收入明细|收入构成|资产负债表|明细账 102 银行存款|收入_支出_2025____|一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一|明细账 102 银行存款(2)|Sheet|sheet(2)|_引号'
[ "$names" = "$want" ] || fail "sheet names: got '$names', want '$want'"

# document properties of the first report: the disclosure digest stamp lives in keywords
checks=$((checks + 1))
props=$($PY -c 'import openpyxl, sys; p = openpyxl.load_workbook(sys.argv[1]).properties; print(p.title, p.subject, p.keywords, sep="|")' "$dir/sample.xlsx")
[ "$props" = "村级财务收支明细公开表|村级财务公开|cunji-digest:3f9a1c0d" ] || fail "XLSX properties: $props"
checks=$((checks + 1))
info=$(pdfinfo "$dir/sample.pdf" 2>/dev/null)
printf '%s' "$info" | grep -q '^Keywords: *cunji-digest:3f9a1c0d$' && printf '%s' "$info" | grep -q '^Subject: *村级财务公开$' ||
	fail "PDF properties: $(printf '%s' "$info" | grep -E '^(Subject|Keywords)')"
checks=$((checks + 1))
pdffonts "$dir/sample.pdf" 2>/dev/null | grep -E 'WenQuanYiZenHei +CID TrueType +Identity-H +yes +yes +yes' >/dev/null ||
	fail "pdffonts does not show WenQuanYi Zen Hei embedded"
text=$(pdftotext -layout "$dir/sample.pdf" - 2>/dev/null)
flat=$(printf '%s' "$text" | tr -d ' \n')
for want in 村级财务收支明细公开表 经营收入小计 1,051,200.05 1,012,345.66 -0.01 \
	"本期合计（大写）：壹佰零伍万壹仟贰佰元零伍分" 村务监督委员会（签章）： 监督举报电话：12317 \
	第1页共1页 资产负债表 固定资产净值 287,500.00 339,700.00 第三方测试用例; do
	checks=$((checks + 1))
	case "$flat" in *"$want"*) ;; *) fail "PDF text lacks '$want'" ;; esac
done
checks=$((checks + 1))
pages=$(pdfinfo "$dir/sample.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "$pages" = 2 ] || fail "PDF has $pages pages, want 2 (one per report)"

# the layout samples as their readers see them: the hotline on every page, no number
# split across lines, signatures with their table, the font subset, percentages, images
check $PY "$CUNJI_SRC/tests/cli/check_sheets.py" "$dir/layout" 12317

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
