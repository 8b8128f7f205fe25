#!/usr/bin/env bash
# The naming rule of docs/architecture.md, checked on the built libraries:
# every symbol a library exports starts with cj_ (cj__ for what its own files
# share), so that no helper of one library can clash with a caller's names.
# Run from ctest with the libraries' paths as arguments.
set -uo pipefail
failures=0

for lib in "$@"; do
	# defined, global (upper-case type); the sanitizers' and coverage's own
	# symbols (__asan_*, __odr_asan_*, __sancov_*, ...) are not ours
	bad=$(nm -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[A-Z]$/ {print $3}' |
		grep -v -e '^cj_' -e '^__' | sort -u)
	if [ -n "$bad" ]; then
		echo "FAIL: $(basename "$lib") exports names without the cj_ prefix:"
		sed 's/^/  /' <<<"$bad"
		failures=$((failures + 1))
	fi
done
echo "$(($# - failures)) passed, $failures failed"
[ $# -gt 0 ] && [ "$failures" -eq 0 ]
