#!/bin/sh
# first_posting.sh - instructions a fresh backend spends on its first posting
#
# Runs the embedded cluster under $CUNJI_HOME (stopped first) under
# valgrind's callgrind, then bench_post --only-fresh with 0, 1 and 2
# vouchers posted on one fresh connection; each backend's total instruction
# count (Ir) is in its own callgrind file.  The first voucher is the count
# with one minus the count with none (a fresh connection's backend has the
# highest pid of its run), the second the count with two minus
# the count with one.  Counts do not depend on the machine's load.
#
# usage: bench/first_posting.sh BUILD_DIR [bench_post options for the books]
# The books must exist (bench_post --villages V --vouchers N once before);
# --reuse is added.  Needs valgrind; runs as root (the server as postgres).
# CG_OPTS adds valgrind options, e.g. --dump-after=PortalRun for a file per
# statement (callgrind_annotate reads them; the differences printed at the
# end then mean nothing).
set -eu
build=$1
shift
pgdata=$CUNJI_HOME/pg
bindir=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
out=$(mktemp -d)
chmod 777 "$out"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

as_pg "$bindir/pg_ctl -D $pgdata -m fast -w stop" >/dev/null 2>&1 || true
as_pg "valgrind --tool=callgrind --trace-children=yes ${CG_OPTS:-} --callgrind-out-file=$out/cg.%p \
	$bindir/postgres -D $pgdata -c max_prepared_transactions=50 -c autovacuum=off \
	>$out/server.log 2>&1 &"
i=0
until as_pg "$bindir/pg_isready -q -h $pgdata" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 120 ] || { echo "first_posting: the server did not start" >&2; exit 1; }
	sleep 1
done

total() { # the Ir total of the fresh connection's backend: the run's last pid
	f=$(ls "$out" | grep '^cg\.' | sort -t. -k2 -n | tail -1)
	grep '^totals:' "$out/$f" | awk '{print $2}'
}
for posts in 0 1 2; do
	before=$(ls "$out" | wc -l)
	"$build/bench/bench_post" --reuse --only-fresh --fresh 1 --fresh-posts $posts "$@" >/dev/null
	# both backends (bench_post's own and the fresh one) have written theirs
	while [ "$(ls "$out" | wc -l)" -lt $((before + 2)) ]; do sleep 1; done
	eval "ir$posts=\$(total)"
done
as_pg "$bindir/pg_ctl -D $pgdata -m fast -w stop" >/dev/null
awk -v a="$ir0" -v b="$ir1" -v c="$ir2" 'BEGIN {
	printf "a fresh backend that posts nothing %.2f M instructions (with the postmaster start it inherits)\n", a / 1e6
	printf "first voucher  %.2f M instructions\n", (b - a) / 1e6
	printf "second voucher %.2f M instructions\n", (c - b) / 1e6 }'
echo "callgrind files: $out"
