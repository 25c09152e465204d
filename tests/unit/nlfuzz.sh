#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nlfuzz.sh: tools/nlfuzz's generator without a kernel (nlfuzz -g). A
# seed gives the same steps every time and the first N of a longer run
# (replaying a failure relies on both), another seed others; and the
# steps cover what the fuzzer promises: every command of the family,
# some past the last, each kind of broken header, and each valid
# operation. Prints TAP lines (tests/unit/run counts them).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
NLFUZZ=$top/tools/nlfuzz/nlfuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

tap() {	# tap ok|not NAME
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# check NAME COMMAND...: a check that passes when COMMAND does
check() {
	local name=$1
	shift
	if "$@"; then tap ok "$name"; else tap not "$name"; fi
}

"$NLFUZZ" -g -s 7 -n 20000 >"$tmp/a"
"$NLFUZZ" -g -s 7 -n 20000 >"$tmp/b"
"$NLFUZZ" -g -s 7 -n 5000 >"$tmp/prefix"
"$NLFUZZ" -g -s 8 -n 20000 >"$tmp/other"

check "a seed prints 20000 steps" [ "$(wc -l <"$tmp/a")" = 20000 ]
check "the same seed, the same steps" cmp -s "$tmp/a" "$tmp/b"
check "-n 5000: the first 5000 steps of -n 20000" \
	cmp -s "$tmp/prefix" <(head -5000 "$tmp/a")
# no more than chance alike: a step's hash matches rarely by accident
check "another seed, other steps" \
	[ "$(paste -d' ' <(cut -d' ' -f3 "$tmp/a") <(cut -d' ' -f3 "$tmp/other") |
	     awk '$1 == $2' | wc -l)" -lt 2000 ]

# covers CMD...: each name appears as a fuzzed message's command
covers() {
	local c
	for c in "$@"; do
		grep -q " fuzz .* cmd $c " "$tmp/a" || { echo "no $c"; return 1; }
	done
}
check "every command, 0 and past the last" covers unspec mgmtdev-new \
	mgmtdev-get dev-new dev-del dev-get config-get vstats-get attr-set \
	unknown -

# shapes SHAPE...: each appears in some fuzzed message's shape
shapes() {
	local s
	for s in "$@"; do
		grep -Eq " fuzz .*[ ,]$s(,|\$)" "$tmp/a" || { echo "no $s"; return 1; }
	done
}
check "broken headers, lying lengths, clean and other-type messages" \
	shapes short 'len>sent' 'len<hdr' 'len<sent' nla_len-lies clean \
	other-type base

ops() {
	local o
	for o in add del set sweep dump; do
		grep -q " valid $o " "$tmp/a" || { echo "no $o"; return 1; }
	done
}
check "every valid operation" ops
check "over 100 valid operations in 20000 steps" \
	[ "$(grep -c ' valid ' "$tmp/a")" -gt 100 ]

# lengths: none empty, some of a few KiB
check "message lengths from 1 byte to a few KiB" \
	awk '$2 == "fuzz" { l = $5 + 0; if (l < 1) exit 1; if (l > 2048) big++ }
	     END { exit !(big > 0) }' "$tmp/a"

if "$NLFUZZ" -g -s 7 >/dev/null 2>&1; then
	tap not "no COUNT: a usage error"
else
	tap ok "no COUNT: a usage error"
fi
