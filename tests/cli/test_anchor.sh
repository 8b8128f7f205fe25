#!/usr/bin/env bash
# The paper side of tamper evidence (issue 15): a village's sheets and
# printed vouchers carry its chain head (a QR code, the short form, the
# document keywords); anchor files are signed with the office's key; and
#   * the QR code decodes (zbarimg) to the anchor audit verify --sheet checks;
#   * untouched books verify clean with the anchors and the sheets;
#   * one figure edited in the XLSX (openpyxl) and in the PDF (its content
#     stream) is reported by disclose --verify, with the cell or line;
#   * a voucher posted into the period after the sheet: STALE, the lines listed;
#   * a tampered anchor file fails its signature;
#   * a full rewrite as a superuser that recomputes the village's chain is
#     caught by the anchor file exported before it and by the sheet and the
#     voucher printed before it.
source "$(dirname "$0")/lib.sh"
fresh_db anchortest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f "$out" "$err"' EXIT
key=$tmp/office.pem

C=360925 T=360925100 V=360925100201 V2=360925100202
cj org add --level county --code $C --name 靖安县 >/dev/null
cj org add --level township --code $T --name 双溪镇 --parent $C >/dev/null
cj org add --level village --code $V --name 周口村 --parent $T --start 2025-01 >/dev/null
cj org add --level village --code $V2 --name 石下村 --parent $T --start 2025-01 >/dev/null
cj disclose hotline --code $C --phone 0795-4662345 >/dev/null
post() { cj post "$@" >/dev/null || echo "FAIL: post $*"; }
post --village $V --date 2025-01-01 --summary 期初余额 --opening --debit 101=1,000.00 \
	--debit 102=50,000.00 --credit 311=51,000.00
post --village $V --date 2025-11-05 --summary 收到承包费 --debit 102=1,200.00 --credit 501=1,200.00
post --village $V --date 2025-12-10 --summary 支付办公费 --debit 513=345.60 --credit 101=345.60
post --village $V2 --date 2025-12-01 --summary 收到补助 --debit 102=800.00 --credit 503=800.00

# ---- the key: mode 0600, an existing one kept
expect 0 --out "public key: " -- cj audit key new --key "$key"
check_eq "key file mode" "$(stat -c %a "$key")" 600
pub=$(cj audit key show --key "$key")
check_eq "public key length" "${#pub}" 64
expect 1 --err "already holds the office key" -- cj audit key new --key "$key"

# ---- the sheets, a voucher print and an anchor file, all of untouched books
cj disclose --level village --code $V --period 2025Q4 --out "$tmp/s" >/dev/null 2>&1
xlsx=$(find "$tmp/s" -name "$V-*.xlsx") pdf=$(find "$tmp/s" -name "$V-*.pdf")
[ -f "$xlsx" ] && [ -f "$pdf" ] || { echo "FAIL: no sheets in $tmp/s"; exit 1; }
cj voucher print --village $V --number 2025-11-1 --out "$tmp/v.pdf" >/dev/null
expect 0 -- cj audit anchor export --county $C --out "$tmp/anchors.txt" --key "$key"
checks=$((checks + 1))
grep -q "^village $V seq [1-9][0-9]* head [0-9a-f]\{64\} at 20" "$tmp/anchors.txt" &&
	grep -q "^village $V2 seq " "$tmp/anchors.txt" && grep -q "^key ed25519 $pub$" "$tmp/anchors.txt" ||
	{ echo "FAIL: anchor file:"; cat "$tmp/anchors.txt"; failures=$((failures + 1)); }

# the footer: the head's short form, how to check, both hotlines
head16=$(sed -n "s/^village $V seq [0-9]* head \(.\{16\}\).*/\1/p" "$tmp/anchors.txt")
short="${head16:0:4} ${head16:4:4} ${head16:8:4} ${head16:12:4}"
pdftotext -layout "$pdf" "$tmp/pdf.txt" 2>/dev/null
for want in "链头 #" "$short" "扫二维码" "12317" "0795-4662345"; do
	checks=$((checks + 1))
	grep -qF -- "$want" "$tmp/pdf.txt" || { echo "FAIL: the PDF's footer lacks '$want'"; failures=$((failures + 1)); }
done

# ---- the QR codes decode to what audit verify --sheet checks
qr_of_pdf() { # the QR code of a PDF's first page (a voucher's is small: 300 dpi); QR codes only: a table's rules can read as a 1-D barcode
	pdftoppm -png -r 300 -f 1 -l 1 "$1" "$tmp/page" && zbarimg -q --raw -Sdisable -Sqrcode.enable "$tmp"/page-*1.png 2>/dev/null
	rm -f "$tmp"/page-*.png
}
for f in "$pdf" "$tmp/v.pdf"; do
	qr=$(qr_of_pdf "$f")
	checked=$(cj audit verify --village $V --sheet "$f" 2>&1 >/dev/null | sed -n "s|^$f: checking ||p")
	check_eq "QR code of $(basename "$f") is what audit verify --sheet checks" "$qr" "$checked"
	checks=$((checks + 1))
	case "$qr" in "cunji-anchor-v1 village=$V seq="*" head=$head16"*) ;;
	*) echo "FAIL: QR code of $f: '$qr'"; failures=$((failures + 1)) ;; esac
done
checks=$((checks + 1))
mkdir -p "$tmp/x" && (cd "$tmp/x" && unzip -q -o "$xlsx") && qr=$(zbarimg -q --raw -Sdisable -Sqrcode.enable "$tmp"/x/xl/media/image1.png 2>/dev/null)
[ "$qr" = "$(cj audit anchor verify --sheet "$xlsx" | sed -n "s|^$xlsx: checking ||p")" ] ||
	{ echo "FAIL: the workbook's QR code '$qr'"; failures=$((failures + 1)); }

# ---- township and county sheets carry their villages' heads (a group anchor)
cj disclose --level county --code $C --period 2025Q4 --all --out "$tmp/g" >/dev/null 2>&1
tpdf=$(find "$tmp/g" -name "$T-*.pdf") txlsx=$(find "$tmp/g" -name "$T-*.xlsx") cpdf=$(find "$tmp/g" -name "$C-*.pdf")
[ -f "$tpdf" ] && [ -f "$txlsx" ] && [ -f "$cpdf" ] || { echo "FAIL: no township/county sheets in $tmp/g"; exit 1; }
for f in "$tpdf" "$cpdf"; do
	qr=$(qr_of_pdf "$f")
	checked=$(cj audit anchor verify --sheet "$f" 2>&1 | sed -n "s|^$f: checking ||p")
	check_eq "QR code of $(basename "$f") is what audit anchor verify --sheet checks" "$qr" "$checked"
done
checks=$((checks + 1))
case "$(qr_of_pdf "$tpdf")" in "cunji-anchor-v1 org=$T heads="*" villages=.201:"*",.202:"*" sheet=disclosure period=2025Q4") ;;
*) echo "FAIL: the township sheet's QR code: '$(qr_of_pdf "$tpdf")'"; failures=$((failures + 1)) ;; esac
# the heads' digest is SHA-256 of the anchor file's lines at the sheet's links (docs/audit.md)
checks=$((checks + 1))
want=$(grep "^village 3609251002" "$tmp/anchors.txt" | sed 's/ at .*//' | sha256sum | cut -c1-64)
qr=$(qr_of_pdf "$tpdf")
case "$qr" in *" heads=$want "*) ;; *) echo "FAIL: heads digest: want $want in '$qr'"; failures=$((failures + 1)) ;; esac
pdftotext "$tpdf" - 2>/dev/null | tr -d " \n" | grep -qF "2个村链头摘要${want:0:4}${want:4:4}" ||
	{ echo "FAIL: the township sheet's footer lacks its heads' short form"; failures=$((failures + 1)); }
expect 0 --out "OK, the heads of the 2 villages of $T still hash to ${want:0:16}" -- cj audit anchor verify --sheet "$txlsx"
expect 0 --out "the chains still hold the sheet's anchor: the heads of its 2 villages" -- cj disclose --verify "$tpdf"
expect 0 --out "the chains still hold the sheet's anchor" -- cj disclose --verify "$cpdf"
# a QR code that holds only the digest (a large county's) cannot be checked alone
# (--qr: the text a phone read off the paper)
expect 1 --out "holds only the digest of its 2 villages' heads" -- cj audit anchor verify \
	--qr "cunji-anchor-v1 org=$T heads=$want count=2 sheet=disclosure period=2025Q4"
expect 0 --out "OK, the heads of the 2 villages of $T" -- cj audit anchor verify --qr "$(qr_of_pdf "$tpdf")"
expect 1 --out "not an anchor (cunji-anchor-v1" -- cj audit anchor verify --qr "cunji-anchor-v1 org=$T"

# ---- untouched books: clean
expect 0 --out "the books still match" -- cj disclose --verify "$xlsx"
expect 0 --out "the chain still holds the sheet's anchor" -- cj disclose --verify "$pdf"
expect 0 --out "OK, signature good, 2 anchored head(s) hold" -- cj audit anchor verify \
	--anchors "$tmp/anchors.txt" --sheet "$pdf" --sheet "$xlsx" --sheet "$tmp/v.pdf" --key "$key"
expect 0 --err "intact" -- cj audit verify --county $C --anchors "$tmp/anchors.txt" --sheet "$pdf" \
	--sheet "$tmp/v.pdf" --key "$key"

# ---- with the county's check page address set, a sheet's QR code is a URL of that page
base="https://cunji.example.gov.cn/jingan"
expect 1 -- cj setting check-url --county $C "ftp://x/" # refused by the database; nothing set:
expect 0 --out "no check page address" -- cj setting check-url --county $C
expect 0 --out "open $base/check" -- cj setting check-url --county $C "$base"
expect 0 --out "open $base/check" -- cj setting check-url --township $T
cj disclose --level village --code $V --period 2025Q4 --out "$tmp/u" >/dev/null 2>&1
cj disclose --level township --code $T --period 2025Q4 --out "$tmp/u" >/dev/null 2>&1
updf=$(find "$tmp/u" -name "$V-*.pdf") uxlsx=$(find "$tmp/u" -name "$V-*.xlsx") utpdf=$(find "$tmp/u" -name "$T-*.pdf")
for f in "$updf" "$utpdf"; do
	qr=$(qr_of_pdf "$f")
	checks=$((checks + 1))
	case "$qr" in "$base/check?a=cunji-anchor-v1+"*) ;;
	*) echo "FAIL: QR code of $f is not the check page's URL: '$qr'"; failures=$((failures + 1)) ;; esac
	# the URL's a= is, decoded, the anchor the sheet carries
	checked=$(cj audit anchor verify --sheet "$f" 2>&1 | sed -n "s|^$f: checking ||p")
	check_eq "the anchor in the QR code's URL of $(basename "$f")" \
		"$($PY -c 'import sys, urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["a"][0])' "$qr")" \
		"$checked"
	expect 0 --out "OK" -- cj audit anchor verify --qr "$qr"
done
checks=$((checks + 1))
rm -rf "$tmp/ux" && mkdir -p "$tmp/ux" && (cd "$tmp/ux" && unzip -q -o "$uxlsx") &&
	qr=$(zbarimg -q --raw -Sdisable -Sqrcode.enable "$tmp"/ux/xl/media/image1.png 2>/dev/null)
case "$qr" in "$base/check?a=cunji-anchor-v1+village=$V+seq="*) ;;
*) echo "FAIL: the workbook's QR code is not the check page's URL: '$qr'"; failures=$((failures + 1)) ;; esac
expect 0 --out "the chain still holds the sheet's anchor" -- cj disclose --verify "$updf"
# a township's own address overrides its county's; --clear goes back to the text
expect 0 --out "open https://x.example/c/check" -- cj setting check-url --township $T "https://x.example/c"
expect 0 --out "open https://x.example/c/check" -- cj setting check-url --township $T
expect 0 --out "open $base/check" -- cj setting check-url --township $T --clear
expect 0 --out "no check page address" -- cj setting check-url --county $C --clear

# ---- one figure edited in the XLSX and in the PDF
$PY - "$xlsx" "$tmp/edited.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['收支情况']
for row in ws.iter_rows():
    for c in row:
        if c.value == 1200:
            c.value = 1300
            wb.save(sys.argv[2])
            sys.exit(0)
sys.exit('no 1200 in 收支情况')
EOF
expect 1 --out "EDITED, the figures printed on the sheet differ from the books (1 difference(s))" -- \
	cj disclose --verify "$tmp/edited.xlsx"
expect 1 --out '"1300" on the sheet, "1200" from the books' -- cj disclose --verify "$tmp/edited.xlsx"
$PY "$CUNJI_SRC/tests/cli/edit_pdf.py" "$pdf" "$tmp/edited.pdf" 345.60 845.60 || echo "FAIL: edit_pdf"
expect 1 --out "EDITED, the figures printed on the sheet differ from the books" -- cj disclose --verify "$tmp/edited.pdf"
expect 1 --out "on the sheet   : " -- cj disclose --verify "$tmp/edited.pdf"
checks=$((checks + 1))
grep -q "on the sheet .*845.60" "$out" && grep -q "from the books .*345.60" "$out" ||
	{ echo "FAIL: the edited PDF line is not shown:"; cat "$out"; failures=$((failures + 1)); }

# ---- an edited anchor file: the signature says so
sed "s/^village $V2 seq \([0-9]*\)/village $V2 seq 0/" "$tmp/anchors.txt" >"$tmp/forged.txt"
expect 1 --out "the signature does not match its content" -- cj audit anchor verify --anchors "$tmp/forged.txt"

# ---- a voucher posted into the period after the sheet: STALE, with the lines that changed
cp "$xlsx" "$tmp/before.xlsx"
post --village $V --date 2025-12-20 --summary 补记租金 --debit 102=500.00 --credit 501=500.00
expect 1 --out "STALE, the books changed" -- cj disclose --verify "$tmp/before.xlsx"
expect 1 --out "补记租金" -- cj disclose --verify "$tmp/before.xlsx"
expect 1 --out "the sheet and the books now differ in" -- cj disclose --verify "$tmp/before.xlsx"
# posting moved the head on: the anchors made before still hold
expect 0 -- cj audit anchor verify --anchors "$tmp/anchors.txt" --sheet "$pdf" --key "$key"

# ---- a full rewrite as a superuser, the chain recomputed from the rewritten rows
sql "SET session_replication_role = replica;
UPDATE voucher_line SET debit_fen = debit_fen + 10000 WHERE village_id = (SELECT id FROM org WHERE code = '$V')
   AND voucher_id = (SELECT id FROM voucher WHERE summary = '支付办公费') AND debit_fen > 0;
UPDATE voucher_line SET credit_fen = credit_fen + 10000 WHERE village_id = (SELECT id FROM org WHERE code = '$V')
   AND voucher_id = (SELECT id FROM voucher WHERE summary = '支付办公费') AND credit_fen > 0;
UPDATE voucher SET summary = '支付办公用品费', content_hash = encode(sha256('forged'::bytea), 'hex')
 WHERE summary = '支付办公费';
DO \$\$
DECLARE
	v integer := (SELECT id FROM org WHERE code = '$V');
	l record;
BEGIN
	CREATE TEMP TABLE old_links AS SELECT * FROM chain_link WHERE village_id = v;
	DELETE FROM chain_link WHERE village_id = v;
	DELETE FROM chain_head WHERE village_id = v;
	FOR l IN SELECT * FROM old_links ORDER BY seq LOOP
		-- every link of vouchers rewritten as kind vouchers (0021's encoding, which still verifies)
		PERFORM chain_append(v, CASE WHEN l.kind = 'audit' THEN 'audit' ELSE 'vouchers' END, l.refs,
			CASE WHEN l.kind <> 'audit' THEN
			(SELECT hash_num(count(*)) || string_agg(hash_num(n.id) || hash_num(n.number)
				|| hash_field(n.external_id) || hash_field(n.content_hash)
				|| hash_field(n.preparer) || hash_field(n.prepared_by::text)
				|| hash_field(n.reviewed_by::text) || hash_field(n.posted_by), '' ORDER BY n.id)
			   FROM voucher n WHERE n.village_id = v AND n.id = ANY (l.refs))
			ELSE (SELECT audit_content(a) FROM audit_log a WHERE a.village_id = v AND a.id = l.refs[1]) END);
	END LOOP;
END \$\$;" >/dev/null || echo "FAIL: the rewrite did not run"
expect 1 --out "village $V: link" -- cj audit anchor verify --anchors "$tmp/anchors.txt" --key "$key"
expect 1 --out "the history up to that link was rewritten" -- cj audit anchor verify --anchors "$tmp/anchors.txt"
expect 1 --out "the history up to that link was rewritten" -- cj audit anchor verify --sheet "$pdf"
expect 1 --out "the history up to that link was rewritten" -- cj audit anchor verify --sheet "$tmp/v.pdf"
expect 1 --out "the history up to that link was rewritten" -- cj audit verify --village $V --sheet "$xlsx"
expect 1 --out "the history up to that link was rewritten" -- cj disclose --verify "$pdf"
expect 1 --out "a village's history up to its anchored link was rewritten" -- cj audit anchor verify --sheet "$tpdf"
expect 1 --out "a village's history up to its anchored link was rewritten" -- cj disclose --verify "$cpdf"
expect 1 --out "village $V: link" -- cj audit anchor verify --qr "$(qr_of_pdf "$pdf")"
# the other village's anchor still holds
checks=$((checks + 1))
cj audit anchor verify --anchors "$tmp/anchors.txt" >"$out" 2>&1
grep -q "village $V2" "$out" && { echo "FAIL: village $V2 was not rewritten:"; cat "$out"; failures=$((failures + 1)); }

finish
