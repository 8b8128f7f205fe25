#!/usr/bin/env bash
# Bash completion and the man page come from the command table `cunji help` lists:
# every command of `cunji help` is in cunji.1 and completes word by word, with
# each option of its --help; codes complete from the database (villages,
# townships, counties, a village's accounts); the installed script does it in bash.
source "$(dirname "$0")/lib.sh"
man=$(mktemp)
trap 'rm -f "$out" "$err" "$man"' EXIT
export LC_ALL=C LANGUAGE=
comp() { "$CUNJI_BIN" __complete "$@"; }

# the commands as `cunji help` lists them (two spaces, the name, the summary); under
# zh_CN the summaries are Chinese (test_po), so the name is the ASCII words before one
mapfile -t commands < <(LC_ALL=zh_CN.UTF-8 "$CUNJI_BIN" help | sed -n '/^命令/,/^$/p' | grep '^  ' |
	LC_ALL=C.UTF-8 sed -E 's/^  ([a-z_-]+( [a-z_-]+)*) +[^a-z].*$/\1/')
check_eq "help lists the commands" "$([ "${#commands[@]}" -gt 80 ] && echo many)" many
"$CUNJI_BIN" help --man >"$man"
check_eq "one .TP entry per command of help" "$(grep -c '^\.TP$' "$man")" "${#commands[@]}"
checks=$((checks + 1))
if command -v groff >/dev/null && groff -k -man -Tutf8 -ww -z "$man" 2>&1 | grep -q .; then
	echo "FAIL: groff warns on cunji.1:"; groff -k -man -Tutf8 -ww -z "$man" 2>&1 | head -5
	failures=$((failures + 1))
fi
missing_man="" missing_comp="" missing_opt=""
for c in "${commands[@]}"; do
	# the man page: ".B cunji NAME USAGE", roff's \- for a dash
	grep -qF ".B cunji ${c//-/\\-} " "$man" || grep -qxF ".B cunji ${c//-/\\-}" "$man" || missing_man+=" [$c]"
	# each word completes after the words before it
	read -ra w <<<"$c"
	for ((i = 0; i < ${#w[@]}; i++)); do
		comp "${w[@]:0:i}" "" | grep -qxF -- "${w[i]}" || { missing_comp+=" [$c: ${w[i]}]"; break; }
	done
	# each option of its --help
	got=$(comp "${w[@]}" --)
	for o in $("$CUNJI_BIN" $c --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p'); do
		grep -qxF -- "$o" <<<"$got" || missing_opt+=" [$c $o]"
	done
done
check_eq "every command in the man page" "$missing_man" ""
check_eq "every command completes" "$missing_comp" ""
check_eq "every option completes" "$missing_opt" ""
check_eq "a prefix narrows" "$(comp org a | tr '\n' ' ')" "add "
check_eq "a group's next words" "$(comp period "" | sort | tr '\n' ' ')" "close list reopen "
check_eq "--format values of a statement" "$(comp statement balance-sheet --format "" | tr '\n' ' ')" "text csv json xlsx pdf "

# codes from the database, through the library
DB=complete_codes
fresh_db complete_codes
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code 360925100201 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code 360925100202 --name 马尾村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village 360925100201 --code 102001 --name 农商行 >/dev/null
check_eq "village codes" "$(comp --db "$DB" tb --village 3609 | tr '\n' ' ')" "360925100201 360925100202 "
check_eq "village codes after --village=" "$(comp --db "$DB" ledger --village=36092510020 | tr '\n' ' ')" "360925100201 360925100202 "
check_eq "township codes" "$(comp --db "$DB" tb --township "" | tr '\n' ' ')" "360925100 "
check_eq "county codes" "$(comp --db "$DB" tb --county "" | tr '\n' ' ')" "360925 "
check_eq "account codes of the village (leaves)" "$(comp --db "$DB" ledger --village 360925100201 --account 102 | tr '\n' ' ')" "102001 "
check_eq "accounts of --debit end with =" "$(comp --db "$DB" post --village 360925100201 --debit 1020 | tr '\n' ' ')" "102001= "
check_eq "no village, no accounts" "$(comp --db "$DB" ledger --account "" | wc -l)" 0
check_eq "a file is bash's to complete" "$(comp --db "$DB" import bank --village 360925100201 --rules "" | wc -l)" 0
check_eq "an unreachable server: no codes, no prompt, no error" \
	"$(comp --db "host=/nonexistent dbname=x" tb --village "" </dev/null 2>&1 | wc -l)" 0

# the script bash sources, as bash calls it
checks=$((checks + 1))
got=$(PATH="$(dirname "$CUNJI_BIN"):$PATH" bash -c '
	source "$1/cli/completion/cunji.bash"
	COMP_WORDS=(cunji --db "$2" period close --village 36092510020); COMP_CWORD=6; _cunji
	echo "${COMPREPLY[*]}"
	COMP_WORDS=(cunji perio); COMP_CWORD=1; _cunji
	echo "${COMPREPLY[*]}"
	complete -p cunji' _ "$CUNJI_SRC" "$DB" 2>&1)
want="360925100201 360925100202
period
complete -o default -F _cunji cunji"
if [ "$got" != "$want" ]; then
	echo "FAIL: the bash script: got"; echo "$got" | sed 's/^/  /'
	failures=$((failures + 1))
fi
finish
