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

# pins: pages pinned with FOLL_PIN and not yet released, system-wide;
# the per-CPU vmstat differences are folded in first, so it is exact
# (as in t-vhost.sh)
vhfuzz_pins() {
	echo 1 > /proc/sys/vm/stat_refresh
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
	     END { print a - r }' /proc/vmstat
}

# operations per run: the debug kernel is the one that sees most
vhfuzz_count() {
	case $(uname -r) in
	*vdpa-debug*)	echo 100000 ;;
	*)		echo 20000 ;;
	esac
}

# vhfuzz_run NAME OPS [vdpa dev add options]: fuzz a new device NAME with
# OPS operations, then check the pins, the device and its removal.
vhfuzz_run() {
	local name=$1 ops=$2 cdev before now out t0 t1 n i
	shift 2
	modprobe vdpa
	$VDPA dev add name "$name" mgmtdev vdpasim_net mode vhost "$@"
	cdev=$(chardev_of "$name")
	before=$(vhfuzz_pins)
	t0=$(date +%s%N)
	out=$("$VFUZZ" -d "$cdev" -s "$VDPA_SEED" -n "$ops" -v)
	t1=$(date +%s%N)
	echo "$out"
	echo "rate: $ops ops in $(((t1 - t0) / 1000000)) ms," \
		"$((ops * 1000000000 / (t1 - t0 + 1))) ops/s"
	# every page the fuzzer had pinned is released: the exact baseline
	# (a second for anything the kernel defers)
	for i in 1 2 3 4 5; do
		now=$(vhfuzz_pins)
		[ "$now" = "$before" ] && break
		sleep 1
	done
	assert_eq "$before" "$now" "pinned pages after the fuzzer"
	# the device still works, and goes
	$VLOOP -d "$cdev" -n 1000 -s 60:1514
	$VDPA dev del "$name"
	# what was fuzzed: the summary's ioctls and IOTLB messages
	n=$(sed -n 's/.*(ioctls \([0-9]*\), iotlb msgs \([0-9]*\),.*/\1 + \2/p' \
		<<<"$out" | tail -1)
	[ -n "$n" ]
	report vhost-ops "$((n))" "ioctls and IOTLB messages fuzzed on /dev/vhost-vdpa-N"
}

# One queue pair and the control queue; then two pairs (a queue-pair
# count the fuzzer must respect in its indexes).
vhfuzz_one() {
	vhfuzz_run vf0 "$(vhfuzz_count)"
}
t "vhost mode: seeded fuzzing of /dev/vhost-vdpa-N leaves nothing pinned, the device working" vhfuzz_one

vhfuzz_mq() {
	vhfuzz_run vf1 "$(($(vhfuzz_count) / 2))" max_vqp 2
}
t "vhost mode: fuzzing a device with 2 queue pairs" vhfuzz_mq
