#!/usr/bin/env bash
# Start or stop the throwaway cluster the tests share (CUNJI_HOME set by ctest).
set -euo pipefail
: "${CUNJI_HOME:?}" "${CUNJI_BIN:?}"
case "${1:-}" in
start)
	rm -rf "$CUNJI_HOME" 2>/dev/null || { "$CUNJI_BIN" db stop >/dev/null 2>&1 || true; rm -rf "$CUNJI_HOME"; }
	"$CUNJI_BIN" init
	"$CUNJI_BIN" db status
	;;
stop)
	"$CUNJI_BIN" db stop
	rm -rf "$CUNJI_HOME"
	;;
*)
	echo "usage: cluster.sh start|stop" >&2
	exit 2
	;;
esac
