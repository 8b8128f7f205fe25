# Helpers for the CLI tests: run the real cunji binary against the test
# cluster (CUNJI_HOME from ctest), in a database of the test's own.
set -uo pipefail
: "${CUNJI_HOME:?}" "${CUNJI_BIN:?}"
PY=/usr/bin/python3
failures=0
checks=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

fresh_db() { # fresh_db NAME: an empty database, schema applied on first use
	DB=$1
	psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=postgres" \
		-c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
}

cj() { "$CUNJI_BIN" --db "$DB" "$@"; }

sql() { psql -X -q -At "host=$CUNJI_HOME/pg user=postgres dbname=$DB" -c "SET search_path = cunji" -c "$1"; }

# expect STATUS [--out TEXT] [--err TEXT] -- command...
expect() {
	local want=$1 o_text="" e_text=""
	shift
	while [ "$1" != "--" ]; do
		case "$1" in
		--out) o_text=$2; shift 2 ;;
		--err) e_text=$2; shift 2 ;;
		esac
	done
	shift
	checks=$((checks + 1))
	"$@" >"$out" 2>"$err"
	local got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: '$*' exited $got, expected $want"; sed 's/^/  out: /' "$out" | head -20; sed 's/^/  err: /' "$err" | head -20
		failures=$((failures + 1)); return
	fi
	if [ -n "$o_text" ] && ! grep -qF -- "$o_text" "$out"; then
		echo "FAIL: '$*' stdout lacks '$o_text'"; sed 's/^/  out: /' "$out" | head -40
		failures=$((failures + 1)); return
	fi
	if [ -n "$e_text" ] && ! grep -qF -- "$e_text" "$err"; then
		echo "FAIL: '$*' stderr lacks '$e_text'"; sed 's/^/  err: /' "$err" | head -20
		failures=$((failures + 1)); return
	fi
}

# db_refused STATE SQL [NEEDLE]: the database must refuse SQL (typed by hand,
# as in psql) with SQLSTATE STATE (CJnnn for the ledger's rules); a CHECK
# (23514) names its constraint in NEEDLE
db_refused() {
	checks=$((checks + 1))
	if psql -X -q -At -v VERBOSITY=verbose "host=$CUNJI_HOME/pg user=postgres dbname=$DB" \
		-c "SET search_path = cunji" -c "$2" >/dev/null 2>"$err" ||
		! grep -q "^ERROR:  $1:" "$err" || ! grep -qF -- "${3:-}" "$err"; then
		echo "FAIL: not refused with SQLSTATE $1${3:+ ($3)}: $2"; sed 's/^/  err: /' "$err" | head -5
		failures=$((failures + 1))
	fi
}

# Logins of 0015 for a test: login_add LOGIN NAME ROLE SCOPE adds one with
# the password pw LOGIN; as_login LOGIN cunji-args... runs the CLI as it.
pw() { echo "pw-$1"; }
login_add() {
	echo "$(pw "$1")" | cj user add --login "$1" --name "$2" --role "$3" --scope "$4" \
		--password-stdin >/dev/null || { echo "FAIL: user add $1"; exit 1; }
}
as_login() { local l=$1; shift; PGPASSWORD=$(pw "$l") "$CUNJI_BIN" --db "$DB" --user "$l" "$@"; }

check_eq() { # check_eq WHAT GOT WANT
	checks=$((checks + 1))
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: got '$2', want '$3'"
		failures=$((failures + 1))
	fi
}

finish() {
	echo "$((checks - failures)) passed, $failures failed"
	[ "$failures" -eq 0 ]
}
