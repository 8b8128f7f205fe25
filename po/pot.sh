#!/usr/bin/env bash
# pot.sh SRC OUT: extract every marked message of the sources under SRC
# (_() and N_() in C) into the template OUT.  Used by `update-po` and test_po.
set -euo pipefail
src=$1 out=$2
cd "$src"
find cli ledger importers reports demo -name '*.[ch]' | LC_ALL=C sort >"$out.files"
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=CJ_TR \
	--add-comments=TRANSLATORS: --add-location=file --no-wrap --sort-by-file \
	--package-name=cunji --msgid-bugs-address=cunji-issues --files-from="$out.files" -o "$out.new"
rm -f "$out.files"
# the creation date changes every run; keep the file as it was when nothing else did
sed -i '/^"POT-Creation-Date:/d' "$out.new"
mv "$out.new" "$out"
