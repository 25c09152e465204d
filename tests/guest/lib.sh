# SPDX-License-Identifier: GPL-2.0
# TAP helpers for guest tests. Sourced by tests/guest/suite.
#
# A test is a shell function; `t NAME FUNC` runs it in a subshell with
# `set -e`, so any failing command fails the test. Its output is shown as
# TAP diagnostics only when it fails.

T_N=0 T_PASS=0 T_FAIL=0
# put before every test's name (t-upsim.sh: which simulator it ran on)
T_PREFIX=
T_OUT=$(mktemp)
T_REPORT=$(mktemp)
# the seed of every randomized test of this run: $VDPA_SEED (make check
# SEED=N) replays one, otherwise a fresh one per run
export VDPA_SEED=${VDPA_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

# report KEY NUMBER TEXT: what a test tried, for the README's table of
# hostile input (tests/check collects "# report" lines per kernel). Only
# a test that passed has its reports printed.
report() {
	local key=$1 num=$2
	shift 2
	echo "# report $key $num $*" >> "$T_REPORT"
}

# on_debug N DEBUG_N: N, or DEBUG_N on a debug kernel. A test that only
# repeats what it has already shown (cycles, volumes) runs fewer rounds
# there: KASAN, lockdep and kmemleak make the guest 3 to 20 times slower,
# and make check has 45 minutes. The hostile-input files (fuzzers, rings,
# faults, races, soak) keep their full size on the debug kernel.
on_debug() {
	case $(uname -r) in *-debug*) echo "$2" ;; *) echo "$1" ;; esac
}

# note TEXT: a TAP diagnostic printed under the test's line when it
# passed (a measurement: downtime, frames lost)
note() {
	echo "# $*" >> "$T_REPORT"
}

# refute CMD...: fails if CMD succeeds. Use it instead of "! CMD", which
# set -e does not act on.
refute() {
	if "$@"; then
		echo "expected to fail: $*"
		return 1
	fi
	return 0
}

t() {
	local name=$T_PREFIX$1 fn=$2 out rc t0=$SECONDS
	T_N=$((T_N + 1))
	# Not inside $(...) || ...: bash ignores set -e in such contexts,
	# even when the subshell sets it again.
	: > "$T_REPORT"
	(set -eE -o pipefail; "$fn") >"$T_OUT" 2>&1
	rc=$?
	# every test starts from a clean slate, whatever the last one left
	unload_suite >>"$T_OUT" 2>&1 || rc=${rc/#0/99}
	out=$(<"$T_OUT")
	if [ "$rc" = 0 ]; then
		T_PASS=$((T_PASS + 1))
		echo "ok $T_N - $name ($((SECONDS - t0)) s)"
		cat "$T_REPORT"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "not ok $T_N - $name (exit $rc, $((SECONDS - t0)) s)"
		printf '%s\n' "$out" | tail -40 | sed 's/^/#   /'
	fi
}

# expect_fail [-m REGEX] CMD...: CMD must fail, and print REGEX if given.
expect_fail() {
	local re= out
	if [ "$1" = -m ]; then re=$2; shift 2; fi
	if out=$("$@" 2>&1); then
		echo "expected failure, but succeeded: $*"; echo "$out"; return 1
	fi
	if [ -n "$re" ] && ! grep -Eq -- "$re" <<<"$out"; then
		echo "expected message /$re/ from: $*"; echo "got: $out"; return 1
	fi
	return 0
}

# assert_eq WANT GOT [WHAT]
assert_eq() {
	[ "$1" = "$2" ] && return 0
	echo "${3:-value}: want '$1', got '$2'"
	return 1
}

# vstat DEV QIDX NAME: one vendor counter of a device's queue
vstat() {
	$VDPA_TOOL -j dev vstats show "$1" qidx "$2" |
		python3 -S -c "import json,sys; print(json.load(sys.stdin)['vstats']['$1']['$3'])"
}

# loaded MOD...: LOADED becomes the modules of the list that are loaded,
# in its order. Bash builtins only, not even a subshell: on the debug
# kernel under TCG every process costs about 0.2 s, and this runs after
# every test.
loaded() {
	local line m
	local -A in
	while read -r line; do in[${line%% *}]=1; done < /proc/modules
	LOADED=()
	for m in "$@"; do [ -z "${in[$m]:-}" ] || LOADED+=("$m"); done
}

# unload_suite: remove every suite module, front ends and parents first
# (a parent's unload deletes its devices), with one rmmod (measured on
# the debug kernel: 1.3 s for five modules, 4.8 s a module at a time).
unload_suite() {
	local m
	loaded vhost_vdpa virtio_vdpa vduse vdpa_sim_net vdpa_sim vdpa_pci vdpa_test_parent vdpa
	# the kernel's VDUSE (t-vduse) holds vdpa while a daemon has a device
	if [[ " ${LOADED[*]} " == *" vduse "* ]]; then
		for m in $(ls /sys/bus/vdpa/devices); do
			$VDPA_TOOL dev del "$m" 2>/dev/null || :
		done
		m=$(pidof qemu-storage-daemon) && kill $m && sleep 1
	fi
	[ ${#LOADED[@]} = 0 ] || rmmod "${LOADED[@]}"
}

# no_virtio_net: unload virtio_net, for the tests of the test-only parent
# vdpa_test_parent. Its devices have no datapath, so virtio_net's probe
# fails on one in virtio mode (-ENOENT), and Debian's 6.12.95 virtio_net
# leaks its 16-byte rss_hdr on that error path (virtnet_probe's "free:"
# label does not free it): kmemleak reports it, rightly as reached from a
# suite frame (virtio_vdpa's probe). Those tests look at the vdpa and
# virtio buses, not at a netdev.
no_virtio_net() {
	loaded virtio_net
	[ ${#LOADED[@]} = 0 ] || rmmod virtio_net
}

# pins: pages pinned with FOLL_PIN and not yet released, system-wide;
# the per-CPU vmstat differences are folded in first, so it is exact
pins() {
	echo 1 > /proc/sys/vm/stat_refresh
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
	     END { print a - r }' /proc/vmstat
}

# pins_back BEFORE WHAT: the pin count is back to BEFORE (given a few
# seconds, for what the kernel releases after a process exits)
pins_back() {
	local i now
	for i in 1 2 3 4 5; do
		now=$(pins)
		[ "$now" = "$1" ] && return 0
		sleep 1
	done
	assert_eq "$1" "$now" "pinned pages $2"
}

# test_function BDF: the --pci machine's virtio-net function BDF is there
# (tests/vm/run --pci); the tests that need one fail without it
test_function() {
	[ "$(cat "/sys/bus/pci/devices/$1/device" 2>/dev/null)" = 0x1041 ] && return 0
	echo "no test function at $1: boot with tests/vm/run --pci"
	return 1
}

# wait_for COND-CMD...: up to 30 s for the command to succeed
wait_for() {
	local i
	for i in $(seq 300); do
		"$@" && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $*"
	return 1
}

# chardev_of DEV: the vhost-vdpa character device of vdpa device DEV
chardev_of() {
	local d
	for d in /sys/bus/vdpa/devices/$1/vhost-vdpa-*; do
		[ -e "$d" ] && { echo "/dev/$(basename "$d")"; return 0; }
	done
	echo "no vhost-vdpa device on $1" >&2
	return 1
}

# Upstream Linux's own parents, built for this kernel from Debian's
# linux-source against its headers (tests/vm/build-upstream-parents): on
# 6.12, sid and 6.12-debug; 6.1 has no vDPA core for them to build on.
UP=$VDPA_CACHE/upstream-parents/${VDPA_KERNEL:-none}

# up_skip: why this kernel has no upstream parents, or nothing
up_skip() {
	if [ "$(uname -r)" != "$(cut -d' ' -f2 "$UP/.stamp" 2>/dev/null)" ]; then
		echo "upstream's parents are built for the kernels with a vDPA core, 6.12, sid and 6.12-debug (tests/vm/build-upstream-parents)"
	fi
}

# up_insmod MOD...: upstream's modules, from the cache, in order; those
# loaded already are left as they are
up_insmod() {
	local m
	for m in "$@"; do
		loaded "$m"
		[ ${#LOADED[@]} = 1 ] || insmod "$UP/$m.ko"
	done
}

# The simulator that t-vhost.sh and t-sim.sh drive: the suite's
# vdpasim_net, or upstream's vdpa_sim_net (SIM=upstream: t-upsim.sh runs
# both files again on it). Where the two differ, a test says so with
# suite_sim; what upstream's has not is named where it is used.
SIM=suite
SIM_MACS=0

suite_sim() {
	[ "$SIM" = suite ]
}

# sim_load: the vdpa core and the simulator under test. The suite's is
# loaded on demand by `dev add`; upstream's has the suite's name, so it
# is loaded first, from the cache.
sim_load() {
	modprobe vdpa
	suite_sim && return 0
	modprobe vhost_iotlb
	up_insmod vringh vdpa_sim vdpa_sim_net
}

# sim_add NAME [ARG...]: `vdpa dev add name NAME mgmtdev vdpasim_net
# ARG...`. Upstream's simulator has an all-zero MAC unless given one: it
# gets one of its own per device, unless ARG names one.
sim_add() {
	local name=$1 mac=()
	shift
	if ! suite_sim && [[ " $* " != *" mac "* ]]; then
		SIM_MACS=$((SIM_MACS + 1))
		mac=(mac "$(printf '02:00:00:75:%02x:%02x' $((SIM_MACS >> 8 & 255)) $((SIM_MACS & 255)))")
	fi
	$VDPA_TOOL dev add name "$name" mgmtdev vdpasim_net "$@" "${mac[@]}"
}

# sim_tx DEV Q, sim_rx DEV Q: frames the simulator took from transmit
# queue Q, or put on receive queue Q, of DEV (each simulator names its
# counters its own way; each frame is one descriptor chain)
sim_tx() {
	if suite_sim; then vstat "$1" "$2" received_desc; else vstat "$1" "$2" "tx packets"; fi
}
sim_rx() {
	if suite_sim; then vstat "$1" "$2" completed_desc; else vstat "$1" "$2" "rx packets"; fi
}

# pktloop_lost OUTPUT: the frames pktloop's OUTPUT says were lost
pktloop_lost() {
	sed -n 's/.* lost \([0-9]*\) .*/\1/p' <<<"$1"
}

# sim_dropped DEV: the frames DEV dropped on its receive side. The suite's
# simulator drops none (it waits for a receive buffer); upstream's counts
# its drops on queue 0 (no buffer: rx overruns; MAC filter: rx drops;
# buffer too small: rx errors).
sim_dropped() {
	suite_sim && { echo 0; return 0; }
	echo $(( $(vstat "$1" 0 "rx overruns") + $(vstat "$1" 0 "rx drops") +
		 $(vstat "$1" 0 "rx errors") ))
}

# sim_pktloop DEV N PKTLOOP_ARGS...: N checked frames through DEV's
# interface. Through the suite's simulator every frame comes back. Through
# upstream's, which drops what its receive ring has no room for, up to 1
# in 1,000 (and at least 1) may not, with at most 32 frames in flight;
# then every frame lost must be one the device counted as dropped, and
# the test notes how many there were. (t-upsim found 1 lost in 100,000
# on 6.12 in a CI run, and 7 on sid.) Outside t-sim, for upstream's
# simulator: SIM=upstream sim_pktloop ...
sim_pktloop() {
	local dev=$1 n=$2 out lost d0 d1 rc=0 q d
	shift 2
	d0=$(sim_dropped "$dev")
	out=$("$VDPA_TOP/tools/pktloop/pktloop" -n "$n" \
		$(suite_sim || echo -w 32 -l $((n / 1000 + 1))) "$@" 2>&1) || rc=$?
	if [ "$rc" != 0 ]; then
		echo "$out"
		echo "pktloop exit $rc; the device dropped $(( $(sim_dropped "$dev") - d0 ))"
		# where the frames went: the device's counters, the interface's
		for q in 0 1; do $VDPA_TOOL dev vstats show "$dev" qidx $q || true; done
		for d in /sys/bus/vdpa/devices/"$dev"/virtio*/net/*; do
			ip -s -s link show "${d##*/}" || true
			tc -s qdisc show dev "${d##*/}" || true
		done
		return 1
	fi
	echo "$out"
	lost=$(pktloop_lost "$out")
	d1=$(sim_dropped "$dev")
	assert_eq "$lost" "$((d1 - d0))" "frames lost against frames the device counted as dropped"
	[ "$lost" = 0 ] ||
		note "upstream's vdpa_sim_net dropped $lost of $n frames, each counted by the device as dropped"
}

# t_suite_sim NAME FUNC: t NAME FUNC, on the suite's simulator only (the
# comment above the test says what upstream's has not)
t_suite_sim() {
	suite_sim || return 0
	t "$@"
}
