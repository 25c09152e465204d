# SPDX-License-Identifier: GPL-2.0
# vhost mode under fire: tools/vhost_fuzz throws the run's seeded random
# ioctls, IOTLB messages, doorbell mmaps and hostile rings at
# /dev/vhost-vdpa-N over vdpasim_net. The fuzzer itself fails on a hang,
# a signal, a device that contradicts itself, pinned pages past
# RLIMIT_MEMLOCK or left after a close; the kernel log is checked by the
# harness; here the system-wide pin count must come back exactly and the
# device must still carry frames.

VDPA=$VDPA_TOOL
VFUZZ=$VDPA_TOP/tools/vhost_fuzz/vhost_fuzz

# operations per run, main and side runs: the debug kernel is the one
# that sees most in the main run, but it is slow (a few hundred to 900
# operations per second under TCG): 50,000 operations there (about
# 100,000 ioctls and IOTLB messages), and shorter side runs
vhfuzz_debug() {
	case $(uname -r) in *vdpa-debug*) return 0 ;; esac
	return 1
}
vhfuzz_count() {
	if vhfuzz_debug; then echo 50000; else echo 20000; fi
}
vhfuzz_side() {
	if vhfuzz_debug; then echo "$(($1 / 2))"; else echo "$1"; fi
}

# vhfuzz_run NAME OPS [vdpa dev add options]: fuzz a new device NAME with
# OPS operations, then check the pins, the device and its removal.
vhfuzz_run() {
	local name=$1 ops=$2 cdev before now out t0 t1 n i
	shift 2
	modprobe vdpa
	$VDPA dev add name "$name" mgmtdev vdpasim_net mode vhost "$@"
	cdev=$(chardev_of "$name")
	before=$(pins)
	t0=$(date +%s%N)
	out=$("$VFUZZ" -d "$cdev" -s "$VDPA_SEED" -n "$ops" -v)
	t1=$(date +%s%N)
	echo "$out"
	echo "rate: $ops ops in $(((t1 - t0) / 1000000)) ms," \
		"$((ops * 1000000000 / (t1 - t0 + 1))) ops/s"
	# every page the fuzzer had pinned is released: the exact baseline
	pins_back "$before" "after the fuzzer"
	# the device still works, and goes
	$VLOOP -d "$cdev" -n 1000 -s 60:1514
	$VDPA dev del "$name"
	# what was fuzzed: the summary's ioctls and IOTLB messages
	n=$(sed -n 's/.*(ioctls \([0-9]*\), iotlb msgs \([0-9]*\),.*/\1 + \2/p' \
		<<<"$out" | tail -1)
	[ -n "$n" ]
	report vhost-ops "$((n))" "ioctls and IOTLB messages fuzzed on /dev/vhost-vdpa-N"
}

# One queue pair and the control queue.
vhfuzz_one() {
	vhfuzz_run vf0 "$(vhfuzz_count)"
}
t "vhost mode: seeded fuzzing of /dev/vhost-vdpa-N leaves nothing pinned, the device working" vhfuzz_one

# Two queue pairs, so other queue indexes and a pair that loops frames.
vhfuzz_mq() {
	vhfuzz_run vf1 "$(vhfuzz_side 20000)" max_vqp 2
}
t "vhost mode: fuzzing a device with 2 queue pairs" vhfuzz_mq

# The fuzzer's own promises: one seed is one sequence of operations (the
# traces of two runs are the same), and a failure (here a SIGTERM in the
# middle of a run) says where and prints the command that replays it.
vhfuzz_replay() {
	local cdev pid rc=0 out before now i a n ops=$(vhfuzz_side 2000)
	modprobe vdpa
	$VDPA dev add name vf2 mgmtdev vdpasim_net mode vhost
	cdev=$(chardev_of vf2)
	a=$("$VFUZZ" -d "$cdev" -s "$VDPA_SEED" -n "$ops" -v -v 2>"$T_OUT.a")
	"$VFUZZ" -d "$cdev" -s "$VDPA_SEED" -n "$ops" -v -v 2>"$T_OUT.b" >/dev/null
	# (not the same results: the device flags a bad ring in its status
	# when its worker gets to it, which a later status write may see)
	assert_eq "$ops" "$(grep -c '^vhost_fuzz: op ' "$T_OUT.a")" "operations traced"
	cmp "$T_OUT.a" "$T_OUT.b"
	rm -f "$T_OUT.a" "$T_OUT.b"
	before=$(pins)
	"$VFUZZ" -d "$cdev" -s "$VDPA_SEED" -n 100000000 >"$T_OUT.c" 2>&1 &
	pid=$!
	sleep 1
	kill -TERM $pid
	wait $pid || rc=$?
	out=$(cat "$T_OUT.c"); rm -f "$T_OUT.c"
	echo "$out"
	assert_eq 1 "$rc" "exit status after SIGTERM"
	grep -Eq "^vhost_fuzz: FAILED at op [0-9]+ of seed $VDPA_SEED: signal 15 \(TERM\)$" <<<"$out"
	grep -Eq "^vhost_fuzz: replay: vhost_fuzz -d $cdev -s $VDPA_SEED -n [1-9][0-9]*$" <<<"$out"
	grep -Eq "^vhost_fuzz: seed $VDPA_SEED: [1-9][0-9]* ops " <<<"$out"
	pins_back "$before" "after the killed fuzzer"
	$VDPA dev del vf2
	n=$(sed -n 's/.*(ioctls \([0-9]*\), iotlb msgs \([0-9]*\),.*/\1 + \2/p' \
		<<<"$a")
	report vhost-ops "$((2 * (n)))" "ioctls and IOTLB messages fuzzed on /dev/vhost-vdpa-N"
}
t "vhost mode: vhost_fuzz replays a seed exactly and reports a failure with its replay command" vhfuzz_replay
