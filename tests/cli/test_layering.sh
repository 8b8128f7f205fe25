#!/usr/bin/env bash
# The layers as docs/architecture.md draws them, checked on the source:
#   the tool (cli/) is thin: no SQL that writes, no raw libpq, no cj_db_exec,
#   none of the libraries' own headers (<ledger/sql.h> ...), and no command
#   file over 400 lines; the demo includes none of those headers either;
#   includes run one way: cli -> demo -> reports, importers -> ledger (the two
#   in the middle side by side), and no library includes the tool's headers.
# Run from ctest with CUNJI_SRC set (or give the source tree as $1).
set -uo pipefail
src=${1:-${CUNJI_SRC:?}}
failures=0
checks=0

cli_files() { (cd "$src" && ls cli/*.c cli/*.h); } # every file: nothing is allowed

refuse() { # refuse WHAT REGEX FILES...: no line of FILES matches REGEX
	local what=$1 regex=$2 hits
	shift 2
	checks=$((checks + 1))
	hits=$(cd "$src" && grep -HnE -- "$regex" "$@")
	if [ -n "$hits" ]; then
		echo "FAIL: $what:"
		sed 's/^/  /' <<<"$hits"
		failures=$((failures + 1))
	fi
}

mapfile -t tool < <(cli_files)
refuse "SQL that writes in cli/ (put it in a library function)" \
	'"[^"]*\b(INSERT|UPDATE|DELETE|TRUNCATE)\b' "${tool[@]}"
refuse "raw libpq calls in cli/" '\bPQ[a-zA-Z]+\(' "${tool[@]}"
refuse "raw libpq types in cli/" '\bPG(result|conn)\b' "${tool[@]}"
refuse "cj_db_exec in cli/ (run SQL in a library)" 'cj_db_exec' "${tool[@]}"
refuse "libpq included in cli/" '#include <libpq-fe\.h>' "${tool[@]}"
refuse "the libraries' own headers (ledger/lib-include) in cli/" \
	'#include <ledger/(sql|numbering|grow)\.h>' "${tool[@]}"

checks=$((checks + 1))
long=$(cd "$src" && wc -l "${tool[@]}" | awk '$2 != "total" && $1 > 400 {print "  " $2 ": " $1 " lines"}')
if [ -n "$long" ]; then
	echo "FAIL: command files over 400 lines (a command parses options, makes one library call and renders):"
	echo "$long"
	failures=$((failures + 1))
fi

libs() { (cd "$src" && find "$@" -name '*.[ch]' 2>/dev/null | sort); }
mapfile -t core < <(libs ledger)
mapfile -t upper < <(libs importers reports)
mapfile -t importers < <(libs importers)
mapfile -t reports < <(libs reports)
mapfile -t all < <(libs ledger importers reports demo)
refuse "a library includes the tool's headers" '#include "(cli|\.\./cli/)[^"]*"|#include <cli/' "${all[@]}"
refuse "ledger/ includes a library above it" '#include <(importers|reports|demo)/' "${core[@]}"
refuse "importers/ or reports/ include the demo" '#include <demo/' "${upper[@]}"
mapfile -t demo < <(libs demo)
refuse "the demo includes the libraries' own headers (it calls what the tool calls)" \
	'#include <(libpq-fe|ledger/(sql|numbering|grow))\.h>' "${demo[@]}"
refuse "importers/ and reports/ include each other" '#include <reports/' "${importers[@]}"
refuse "reports/ and importers/ include each other" '#include <importers/' "${reports[@]}"

# the web interface (web/) is a front-end like the tool: it calls the libraries, never SQL
mapfile -t web < <(libs web)
refuse "SQL in web/ (put it in a library function)" \
	'"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|TRUNCATE)\b' "${web[@]}"
refuse "raw libpq in web/" '\bPQ[a-zA-Z]+\(|\bPG(result|conn)\b|#include <libpq-fe\.h>|cj_db_exec' "${web[@]}"
refuse "the libraries' own headers (ledger/lib-include) in web/" \
	'#include <ledger/(sql|numbering|grow)\.h>' "${web[@]}"
refuse "a library includes the web interface's headers" '#include <web/' "${all[@]}"

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
