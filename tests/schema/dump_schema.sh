#!/usr/bin/env bash
# schema/current.sql: the schema the migrations build, readable in one place.
#
#   tests/schema/dump_schema.sh --update   rewrite schema/current.sql
#   tests/schema/dump_schema.sh --check    fail, with a diff, if it differs
#   ... --cluster HOME                     use the running test cluster in HOME (ctest
#                                          does) instead of starting one of its own
#
# Migrates a fresh database with the cunji binary (CUNJI_BIN, default build/cunji),
# dumps the schema cunji with pg_dump --schema-only and normalises the dump: no
# preamble, versions, ownership or privileges, nothing that changes between runs.
# The migrations stay the source: this file is their result, for reading and review.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
usage() { echo "usage: dump_schema.sh --update|--check [--cluster HOME]" >&2; exit 2; }
mode=${1:-}
case "$mode" in
--update | --check) ;;
*) usage ;;
esac
home=
if [ $# -gt 1 ]; then
	[ "$2" = --cluster ] && [ $# -eq 3 ] || usage
	home=$3
fi
bin=${CUNJI_BIN:-$src/build/cunji}
[ -x "$bin" ] || { echo "dump_schema.sh: no cunji binary at $bin (build first, or set CUNJI_BIN)" >&2; exit 2; }
current=$src/schema/current.sql
work=$(mktemp -d)
own_home=
cleanup() {
	if [ -n "$own_home" ]; then
		CUNJI_HOME=$own_home "$bin" db stop >/dev/null 2>&1 || true
		rm -rf "$own_home"
	fi
	rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$home" ]; then
	# a path that does not exist yet: cunji creates the home with the modes it needs
	own_home=/tmp/cunji-schema-dump-$$
	home=$own_home
fi
export CUNJI_HOME=$home CUNJI_DB=

db=schema_dump
conn="host=$CUNJI_HOME/pg user=postgres"
if [ -z "$own_home" ]; then
	psql -X -q "$conn dbname=postgres" -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
fi
"$bin" --db "$db" init >/dev/null
last=$(psql -X -At "$conn dbname=$db" -c "SELECT name FROM cunji.schema_migrations ORDER BY version DESC LIMIT 1")

pg_dump --schema-only --schema=cunji --no-owner --no-privileges "$conn dbname=$db" >"$work/raw.sql"
{
	echo "-- The schema cunji after $last: every table, function and trigger as it"
	echo "-- lives now.  Generated from the migrations (schema/NNNN_*.sql, which stay the"
	echo "-- source); do not edit.  Regenerate: tests/schema/dump_schema.sh --update"
	# from the first object on; without pg_dump's session settings, its \restrict
	# key (new each run), version lines, owners (--no-owner leaves "Owner: -")
	# and runs of blank lines
	awk '
		/^-- Name: / { started = 1 }
		!started { held = $0; next }
		/^-- PostgreSQL database dump complete/ { done = 1 }
		done { next }
		/^\\(un)?restrict / || /^SET default_(tablespace|table_access_method) = / { next }
		{ sub(/; Owner: -$/, "") }
		/^$/ { blanks++; next }
		{
			# one blank line between objects; blank lines inside a body kept
			if (held != "") { out[n++] = ""; out[n++] = held; held = ""; blanks = 0 }
			if ($0 == "--" && blanks > 1) blanks = 1
			for (; blanks > 0; blanks--) out[n++] = ""
			out[n++] = $0
		}
		END {
			while (n > 0 && (out[n - 1] == "" || out[n - 1] == "--")) n--
			for (i = 0; i < n; i++) print out[i]
		}
	' "$work/raw.sql"
} >"$work/current.sql"
if [ -z "$own_home" ]; then
	psql -X -q "$conn dbname=postgres" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi

if [ "$mode" = --update ]; then
	cp "$work/current.sql" "$current"
	echo "wrote $current (the schema after $last)"
elif ! diff -u --label "schema/current.sql (committed)" --label "schema after $last (migrated now)" \
	"$current" "$work/current.sql"; then
	echo "schema/current.sql is not the schema the migrations build; regenerate it with" >&2
	echo "  tests/schema/dump_schema.sh --update   (or: cmake --build build --target update-schema)" >&2
	exit 1
else
	echo "schema/current.sql is the schema after $last"
fi
