#!/bin/bash
# web_latency.sh - cunji serve under 50 concurrent clients: the voucher list and
# a statement page, p50/p95/p99, the server's CPU and memory
#
# usage: bench/web_latency.sh [--build DIR] [--home DIR] [--requests N] [--clients C]
#                             [--no-demo] [--no-keepalive]
#
# On the demo county (`cunji demo`: 75 villages with a year of vouchers each,
# in an embedded cluster under --home, a temporary directory unless given;
# --no-demo reuses the home's cunji_demo), it starts `cunji serve`, logs in as
# demo_bookkeeper (a township's 8 villages), and drives each page with `ab`
# (apache2-utils): N requests, C at a time, on one session of the login (logged in
# four times: its pool of four connections).  For
# each page it prints ab's percentiles, the server's CPU time (user+sys, from
# /proc: the server process, and apart the PostgreSQL backends of the login's
# pool) per request,
# and the server's resident memory before and after.  Prints figures; asserts
# nothing (docs/performance.md).  Connections are kept alive (ab -k), as a
# browser keeps them; --no-keepalive opens one per request (a thread each).
set -euo pipefail

build=build home= requests=2000 clients=50 demo=1 keep=-k
while [ $# -gt 0 ]; do
	case "$1" in
	--no-demo) demo=; shift; continue ;;
	--no-keepalive) keep=; shift; continue ;;
	--build) build=$2 ;;
	--home) home=$2 ;;
	--requests) requests=$2 ;;
	--clients) clients=$2 ;;
	*)
		echo "usage: web_latency.sh [--build DIR] [--home DIR] [--requests N] [--clients C] [--no-demo]" >&2
		exit 2
		;;
	esac
	shift 2
done
command -v ab >/dev/null || { echo "web_latency.sh: needs ab (apt-get install apache2-utils; .ci/do lists it)" >&2; exit 1; }
cunji=$(cd "$build" && pwd)/cunji
tmp=$(mktemp -d)
if [ -z "$home" ]; then
	home=$tmp/home
fi
export CUNJI_HOME=$home
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "$demo" ]; then
	echo "building the demo county (cunji demo) ..."
	"$cunji" demo --quiet >/dev/null
fi
"$cunji" --db cunji_demo serve --listen 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
server=$!
url=
for _ in $(seq 300); do
	url=$(sed -n 's/^cunji serve: open //p' "$tmp/serve.log")
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/serve.log" >&2; exit 1; }
url=${url%/}

# log in as the demo's bookkeeper: the form's cookie and token, then the session.
# Each login event adds a connection to the login's pool (at most 4, docs/web.md):
# four log-ins, as four people of the office would, give the pool its four.
for i in 1 2 3 4; do
	jar=$tmp/jar$i
	curl -s -c "$jar" "$url/login" >/dev/null
	pre=$(awk '$6 == "cj_pre" {print $7}' "$jar")
	curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$pre" \
		--data-urlencode login=demo_bookkeeper --data-urlencode password=demo-bookkeeper "$url/login"
done
session=$(awk '$6 == "cj_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "web_latency.sh: demo_bookkeeper could not log in" >&2; exit 1; }
village=$(curl -s -b "cj_session=$session" "$url/villages" |
	grep -o 'vouchers?village=[0-9]*' | head -1 | cut -d= -f2)

rss() { awk '/^VmRSS/ {print $2 " kB"}' "/proc/$server/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
# the PostgreSQL backends of the login's pool (the connections the pages run on)
backend_ticks() {
	local t=0 pid
	for pid in $(pgrep -f "postgres: demo_bookkeeper cunji_demo" || true); do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
	done
	echo $t
}
hz=$(getconf CLK_TCK)

echo "cunji serve on the demo county, village $village, $requests requests, $clients at a time${keep:+, kept alive}"
echo "load: $(uptime | sed 's/.*load average: //')"
echo "server RSS at start: $(rss)"
for page in "/vouchers?village=$village&period=2025-03" \
	"/statements?kind=bs&village=$village&period=2025" \
	"/statements?kind=tb&village=$village&period=2025"; do
	# a warm-up request opens the pool's connections and fills the caches
	ab -q $keep -n "$clients" -c "$clients" -C "cj_session=$session" "$url$page" >/dev/null
	before=$(cpu_ticks) bbefore=$(backend_ticks)
	ab -q $keep -n "$requests" -c "$clients" -C "cj_session=$session" "$url$page" >"$tmp/ab.txt"
	after=$(cpu_ticks) bafter=$(backend_ticks)
	bytes=$(awk '/^Document Length/ {print $3}' "$tmp/ab.txt")
	failed=$(awk '/^Failed requests/ {print $3}' "$tmp/ab.txt")
	non2xx=$(awk '/^Non-2xx responses/ {print $3}' "$tmp/ab.txt")
	echo
	echo "GET $page ($bytes bytes, failed ${failed:-0}, non-2xx ${non2xx:-0})"
	awk '/^Requests per second/ {print "  requests/s " $4}
	     /^ *50%/ {print "  p50 " $2 " ms"} /^ *95%/ {print "  p95 " $2 " ms"}
	     /^ *99%/ {print "  p99 " $2 " ms"} /^ *100%/ {print "  max " $2 " ms"}' "$tmp/ab.txt"
	awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" \
		'BEGIN {printf "  server CPU (user+sys) %.2f ms per request\n", t * 1000 / hz / n}'
	awk -v t=$((bafter - bbefore)) -v hz="$hz" -v n="$requests" \
		'BEGIN {printf "  PostgreSQL backends CPU (user+sys) %.2f ms per request\n", t * 1000 / hz / n}'
	echo "  server RSS after: $(rss)"
done
echo
echo "load: $(uptime | sed 's/.*load average: //')"
