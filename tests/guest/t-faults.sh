# SPDX-License-Identifier: GPL-2.0
# Fault injection: every allocation of an operation fails in turn (the
# kernel's fail-nth, driven by tools/faultinj), and each failure must be
# an error to the caller that leaves nothing behind (no device, no
# binding, no pinned page; kmemleak and KASAN watch the rest), after
# which the operation works. Needs CONFIG_FAULT_INJECTION with failslab
# and fail_page_alloc: the debug kernel has them, Debian's kernels do not,
# so elsewhere this file runs no test (tests/guest/expected).

FAULTINJ=$VDPA_TOP/tools/faultinj/faultinj
FI_FN=0000:01:00.0
FI_PF=0000:02:00.0
FI_BIND=$VDPA_TOP/tools/vdpa-pci-bind/vdpa-pci-bind

# The suite's own modules, where an injected failure must be caught: the
# span of their text in the module area (load them all first).
FI_MODULES="vdpa vdpa_sim vdpa_sim_net vhost_vdpa virtio_vdpa vdpa_pci"
# How deep below a suite frame an allocation may be and still fail
# (frames of the stack, the injector's own two or three included): 10
# for the simulator and vhost (the suite's allocations, vhost_iotlb's,
# device_add's), 6 for vdpa_pci (its own and its helpers' first level).
# Deeper, in the PCI, MSI and ACPI cores, a failed allocation crashes
# Debian's 6.12.95 in their own error paths (README, "Hostile input"),
# which are not the suite's to test.
FI_DEPTH=${FI_DEPTH:-10}
FI_DEPTH_PCI=${FI_DEPTH_PCI:-6}

# faults_on / faults_off: make sleeping allocations and single pages
# eligible (by default failslab and fail_page_alloc skip them), only
# those with a suite frame in the top FI_DEPTH of their stack, keep the
# injector quiet, and tell the log check that the allocation-failure
# warnings in between are expected (tests/vm/logcheck)
faults_on() {
	local d=/sys/kernel/debug a lo hi
	mountpoint -q $d || mount -t debugfs none $d
	read -r lo hi < <(python3 -S - $FI_MODULES <<-'EOF'
	import sys
	spans = [(int(f[5], 16), int(f[5], 16) + int(f[1]))
	         for f in (l.split() for l in open("/proc/modules"))
	         if f[0] in sys.argv[1:] and int(f[5], 16)]
	print(min(s[0] for s in spans), max(s[1] for s in spans))
	EOF
	)
	[ -n "$hi" ]
	for a in failslab fail_page_alloc; do
		echo N > $d/$a/ignore-gfp-wait
		echo 0 > $d/$a/verbose
		echo "$lo" > $d/$a/require-start
		echo "$hi" > $d/$a/require-end
		echo "$FI_DEPTH" > $d/$a/stacktrace-depth
	done
	echo N > $d/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $d/fail_page_alloc/min-order
	echo "vdpa-test: injected faults begin" > /dev/kmsg
}
faults_off() {
	echo "vdpa-test: injected faults end" > /dev/kmsg
}

# fi_run WHAT-KEY FAULTINJ-ARGS...: run faultinj, show its summary, and
# report how many sites it made fail
fi_run() {
	local key=$1 out n
	shift
	out=$($FAULTINJ "$@")
	echo "$out"
	n=$(sed -n 's/.* sites, \([0-9]*\) of them failed in turn.*/\1/p' <<<"$out")
	[ -n "$n" ] && [ "$n" -gt 0 ]
	report "$key" "$n" "allocations failed in turn: $*"
}

# the simulator: dev add in both modes, with the front ends' probes
faults_sim_add() {
	local before
	modprobe vdpa
	modprobe vdpa_sim_net
	modprobe vhost_vdpa
	modprobe virtio_vdpa
	# virtio mode probes virtio_vdpa only: Debian's 6.12.95 virtio_net
	# leaks on its own probe's error path (see no_virtio_net)
	no_virtio_net
	before=$(pins)
	faults_on
	fi_run fi-sim-vhost dev-add fz0 vdpasim_net vhost
	fi_run fi-sim-virtio dev-add fz1 vdpasim_net virtio
	faults_off
	assert_eq "$before" "$(pins)" "pinned pages"
	refute $VDPA_TOOL dev show fz0
	refute $VDPA_TOOL dev show fz1
}

# vhost: open and IOTLB update of /dev/vhost-vdpa-N
faults_vhost() {
	local before cdev
	modprobe vdpa
	$VDPA_TOOL dev add name fv0 mgmtdev vdpasim_net mode vhost
	cdev=$(chardev_of fv0)
	before=$(pins)
	faults_on
	fi_run fi-vhost-open open "$cdev"
	fi_run fi-iotlb iotlb "$cdev"
	faults_off
	assert_eq "$before" "$(pins)" "pinned pages"
	$VLOOP -d "$cdev" -n 1000 -s 60:1514
	$VDPA_TOOL dev del fv0
}

# vdpa_pci: binding a function, dev add on it, and SR-IOV enable
faults_pci() {
	local drv=/sys/bus/pci/drivers/vdpa_pci
	test_function $FI_FN
	modprobe vdpa_pci
	modprobe vhost_vdpa
	# the function detached from virtio-pci, pointed at vdpa_pci
	echo vdpa_pci > /sys/bus/pci/devices/$FI_FN/driver_override
	echo $FI_FN > /sys/bus/pci/devices/$FI_FN/driver/unbind
	FI_DEPTH=$FI_DEPTH_PCI faults_on
	fi_run fi-pci-bind write $drv/bind $FI_FN $drv/$FI_FN $drv/unbind $FI_FN
	faults_off
	echo $FI_FN > $drv/bind
	FI_DEPTH=$FI_DEPTH_PCI faults_on
	fi_run fi-pci-add dev-add fp0 pci/$FI_FN vhost
	faults_off
	# and SR-IOV: the PF to vdpa_pci, then two VFs at once
	$FI_BIND $FI_PF
	FI_DEPTH=$FI_DEPTH_PCI faults_on
	fi_run fi-sriov -s "${FI_STRIDE:-1}" -o $((VDPA_SEED % ${FI_STRIDE:-1})) \
		write /sys/bus/pci/devices/$FI_PF/sriov_numvfs 2 \
		/sys/bus/pci/devices/$FI_PF/virtfn0 \
		/sys/bus/pci/devices/$FI_PF/sriov_numvfs 0
	faults_off
	# everything still works
	$VDPA_TOOL dev add name fp1 mgmtdev pci/$FI_FN mode vhost
	$VLOOP -d "$(chardev_of fp1)" -n 1000 -s 60:1514 -w 64
	$VDPA_TOOL dev del fp1
	$FI_BIND -u $FI_FN $FI_PF
}

if [ -e /proc/thread-self/fail-nth ]; then
	t "faults: every allocation of dev add fails in turn (simulator; vhost and virtio mode)" faults_sim_add
	t "faults: every allocation of vhost open and IOTLB update fails in turn" faults_vhost
	t "faults: every allocation of vdpa_pci bind, dev add and SR-IOV enable fails in turn" faults_pci
fi
