#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cli.sh: the vdpa program as a user runs it. Its exit status, messages and
# help; then, with build/fakenl.so standing in for the kernel, what it
# sends and prints, also next to iproute2's vdpa where one is installed.
# Prints TAP lines (tests/unit/run counts them). VALGRIND=1 runs the tool
# under valgrind, whose reports then fail the checks.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
VDPA=$top/tools/vdpa/vdpa
FAKE=$here/build/fakenl.so
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

vg=()
[ "${VALGRIND:-}" = 1 ] && vg=(valgrind -q --error-exitcode=99 --leak-check=full)
n=0 rc=0

tap() {	# tap ok|not NAME
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# vdpa ARGS: runs the tool; sets $rc, $tmp/out and $tmp/err
vdpa() {
	"${vg[@]}" "$VDPA" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# fake ARGS: the same with fakenl.so as the kernel, requests in $tmp/log
fake() {
	rm -f "$tmp/log"
	FAKENL_LOG=$tmp/log LD_PRELOAD=$FAKE vdpa "$@"
}

# expect NAME RC STDOUT STDERR: the last run's result, exactly
expect() {
	if [ "$rc" = "$2" ] && [ "$(cat "$tmp/out")" = "$3" ] &&
	   [ "$(cat "$tmp/err")" = "$4" ]; then
		tap ok "$1"
		return
	fi
	tap not "$1"
	echo "#   exit $rc (want $2)"
	sed 's/^/#   stdout: /' "$tmp/out"
	sed 's/^/#   stderr: /' "$tmp/err"
}

# sent NAME LINES: the requests the fake kernel received, exactly
sent() {
	if [ "$(cat "$tmp/log" 2>/dev/null)" = "$2" ]; then
		tap ok "$1"
	else
		tap not "$1"
		sed 's/^/#   sent: /' "$tmp/log" 2>/dev/null
	fi
}

# usage FIRST ARGS: "vdpa ARGS" prints a usage starting FIRST, exits 0
usage() {
	local first=$1; shift
	vdpa "$@"
	if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ] &&
	   head -1 "$tmp/out" | grep -F -- "$first" >/dev/null; then
		tap ok "\"vdpa $*\" prints its usage"
	else
		tap not "\"vdpa $*\" prints its usage"
	fi
}

# Options, help and refusals: nothing reaches the kernel
test_local() {
	local v

	v=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*$/\1/p' "$top/dkms.conf")
	vdpa -V
	expect "-V prints dkms.conf's version" 0 \
		"vdpa utility, vdpa-suite-$v" ""
	vdpa --version
	expect "--version" 0 "vdpa utility, vdpa-suite-$v" ""

	usage "Usage: vdpa [ OPTIONS ] OBJECT" -h
	usage "Usage: vdpa [ OPTIONS ] OBJECT" help
	usage "Usage: vdpa [ OPTIONS ] OBJECT"
	usage "Usage: vdpa mgmtdev show [ MGMTDEV ]" mgmtdev help
	usage "Usage: vdpa dev show [ DEV ]" dev help
	usage "Usage: vdpa dev config show [ DEV ]" dev config help
	usage "Usage: vdpa dev vstats show DEV qidx" dev vstats help

	fake dev add mgmtdev vdpasim_net
	expect "dev add without name: refused" 1 "" \
		'Option "name" is mandatory'
	sent "dev add without name: nothing sent" ""
	fake dev add name vdpa0
	expect "dev add without mgmtdev: refused" 1 "" \
		'Option "mgmtdev" is mandatory'
	fake dev add name v mgmtdev m mac 00:11:22:33:44
	expect "a 5-byte MAC: refused" 1 "" \
		'Option "mac": "00:11:22:33:44" is not a MAC address like 00:11:22:33:44:55'
	sent "a 5-byte MAC: nothing sent" ""
	vdpa dev sh
	expect "no abbreviations" 1 "" 'Command "sh" not found'
	vdpa -x dev show
	expect "unknown option" 1 "" 'Unknown option "-x"'
	vdpa dev vstats
	expect "vstats without a command: usage, exit 1" 1 "" \
		"$(printf 'Usage: vdpa dev vstats show DEV qidx QUEUE_INDEX\n       vdpa dev vstats help')"
}

# Talking to the (fake) kernel
test_kernel() {
	FAKENL_NO_FAMILY=1 fake dev show
	expect "no vdpa family: says so" 1 "" \
		'vdpa: the "vdpa" generic netlink family is not available (is the vdpa module loaded?)'

	fake dev add name vdpa7 mgmtdev pci/0000:00:04.0 mac 00:11:22:33:44:55 mtu 1500 max_vqp 2 device_features 0x300000020 mode vhost
	expect "dev add with every option" 0 "" ""
	sent "dev add sends every attribute, then reads the mode back" \
		"$(printf '%s\n%s' \
		'cmd=3 1:70636900 2:303030303a30303a30342e3000 4:766470613700 10:001122334455 13:dc05 12:0200 20:2000000003000000 512:02' \
		'cmd=5 4:766470613700')"

	FAKENL_UPSTREAM=1 fake dev add name vdpa7 mgmtdev vdpasim_net mode virtio
	expect "mode ignored by an upstream core: warning, exit 1" 1 "" \
		'Warning: the kernel ignored "mode" (its vdpa core is not the vDPA suite'"'"'s)'
	FAKENL_UPSTREAM=1 fake dev add name vdpa7 mgmtdev vdpasim_net
	expect "no mode, no read-back" 0 "" ""
	sent "no mode, one request" 'cmd=3 2:7664706173696d5f6e657400 4:766470613700'

	VDPA_NO_LOCAL_CHECKS=1 fake dev add name v mgmtdev vdpasim_net mac 00:11:22:33:44 mtu 0 mode 7
	expect "VDPA_NO_LOCAL_CHECKS=1: the kernel refuses, with its message" \
		1 "" "$(printf '%s\n%s' \
		'Error: fake: the MAC address must have 6 bytes.' \
		'kernel answers: Invalid argument')"
	sent "VDPA_NO_LOCAL_CHECKS=1 sends the raw values" \
		'cmd=3 2:7664706173696d5f6e657400 4:7600 10:0011223344 13:0000 512:07'

	fake -j dev show nope
	expect "a refused show: error, empty JSON section" 1 '{"dev":{}}' \
		"$(printf '%s\n%s' 'Error: fake: no such device.' \
		'kernel answers: No such device')"
	FAKENL_DUMP_ERROR=1 fake dev config show
	expect "a failed dump: what came before it, its message, exit 1" 1 \
		"$(printf '%s\n' \
		'vdpa0: mac 00:11:22:33:44:55 link up link_announce false max_vq_pairs 1 mtu 1500 ' \
		'  negotiated_features MTU MAC STATUS VERSION_1' \
		'vdpa1: mac fe:dc:ba:98:76:54 link up link_announce true max_vq_pairs 2 mtu 9000 ' \
		'  negotiated_features CTRL_VQ MQ VERSION_1 bit_50' \
		'blk0: ')" \
		"$(printf '%s\n%s' 'Error: fake dump failure.' \
		'kernel answers: No buffer space available')"
	FAKENL_WARN=1 fake dev del vdpa0
	expect "a warning on success" 0 "" 'Warning: fake warning.'

	fake -d dev show vdpa0
	expect "-d: mode and driver" 0 \
		"vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256 mode vhost driver vhost_vdpa" ""
	fake dev vstats show vdpa1 qidx 1
	expect "vstats" 0 \
		"vdpa1: queue_type tx received_desc 321813 completed_desc 321812 " ""
}

# The same commands through iproute2's vdpa and ours: same bytes out
compare() {	# compare IPROUTE2 ARGS
	local ipr=$1; shift
	FAKENL_LOG=$tmp/log.ipr LD_PRELOAD=$FAKE "$ipr" "$@" \
		>"$tmp/ipr.out" 2>"$tmp/ipr.err"
	echo "exit $?" >>"$tmp/ipr.out"
	if grep -q '^Command ".*" not found' "$tmp/ipr.err"; then
		tap ok "as $("$ipr" -V | sed 's/.*-//'): vdpa $* # SKIP not in it"
		return
	fi
	FAKENL_LOG=$tmp/log.ours LD_PRELOAD=$FAKE "${vg[@]}" "$VDPA" "$@" \
		>"$tmp/ours.out" 2>"$tmp/ours.err"
	echo "exit $?" >>"$tmp/ours.out"
	if cmp -s "$tmp/ipr.out" "$tmp/ours.out" &&
	   cmp -s "$tmp/ipr.err" "$tmp/ours.err" &&
	   cmp -s "$tmp/log.ipr" "$tmp/log.ours"; then
		tap ok "as $("$ipr" -V | sed 's/.*-//'): vdpa $*"
		return
	fi
	tap not "as $("$ipr" -V | sed 's/.*-//'): vdpa $*"
	diff "$tmp/ipr.out" "$tmp/ours.out" | sed 's/^/#   /'
	diff "$tmp/ipr.err" "$tmp/ours.err" | sed 's/^/#   /'
	diff "$tmp/log.ipr" "$tmp/log.ours" 2>&1 | sed 's/^/#   /'
}

test_iproute2() {
	local ipr cmd words
	local cmds=(
		"mgmtdev show" "-j mgmtdev show" "-j -p mgmtdev show"
		"mgmtdev show pci/0000:00:04.0" "-j mgmtdev show vdpasim_blk"
		"dev show" "-j dev show" "-jp dev show" "dev show vdpa1"
		"dev config show" "-j dev config show" "-jp dev config show"
		"-j dev config show vdpa1"
		"dev vstats show vdpa1 qidx 0" "dev vstats show vdpa1 qidx 4"
		"-j dev vstats show vdpa1 qidx 1"
		"dev show nope" "-j dev show nope" "dev del nope" "dev del vdpa0"
		"dev add name vdpa0 mgmtdev vdpasim_net"
		"dev add name vdpa5 mgmtdev pci/0000:00:04.0 mac 00:11:22:33:44:55 mtu 9000 max_vqp 2"
		"dev set name vdpa0 mac 00:11:22:33:44:66"
	)
	for ipr in /usr/sbin/vdpa \
		   "${VDPA_CACHE:-$HOME/.cache/vdpa-suite}/iproute2/vdpa"; do
		# the fake kernel needs the socket calls to go through libc
		if [ ! -x "$ipr" ] || ! ldd "$ipr" 2>/dev/null | grep libmnl >/dev/null
		then
			tap ok "as $ipr # SKIP not installed"
			continue
		fi
		for cmd in "${cmds[@]}"; do
			rm -f "$tmp/log.ipr" "$tmp/log.ours"
			read -ra words <<<"$cmd"
			compare "$ipr" "${words[@]}"
		done
	done
}

test_local
test_kernel
test_iproute2
