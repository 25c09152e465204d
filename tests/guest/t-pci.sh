# SPDX-License-Identifier: GPL-2.0
# vdpa_pci: virtio-net PCI functions behind the emulated Intel IOMMU of
# `tests/vm/run --pci` (see there for the machine): a plain function (fn),
# a PF with two VFs, every backend looping frames back to the function.

FN=0000:01:00.0
PF=0000:02:00.0
VF1=0000:02:00.1
BIND=$VDPA_TOP/tools/vdpa-pci-bind/vdpa-pci-bind
PKTLOOP=$VDPA_TOP/tools/pktloop/pktloop

# Without the test functions every test of this file fails (and the run
# with them): the harness counts this file's tests on every kernel.
pci_machine() {
	test_function $FN
}

# netdev_of FN: the virtio_net interface of the virtio-mode vdpa device of
# PCI function FN (the virtio device is a child of the function that does
# its DMA, as upstream's virtio_vdpa has it)
netdev_of() {
	local d
	for d in /sys/bus/pci/devices/"$1"/virtio*/net/*; do
		[ -e "$d" ] && { basename "$d"; return 0; }
	done
	echo "no virtio_net interface on $1"
	return 1
}

# qmp CMD-JSON: a QMP command to the QEMU running this guest (ttyS3);
# prints what QEMU answered within 2 s
qmp() {
	stty -F /dev/ttyS3 raw -echo
	exec 7<>/dev/ttyS3
	# opening the tty echoed QEMU's greeting back to it before stty took
	# effect: a 0xff byte makes QEMU's JSON parser start over
	printf '\377\n{"execute":"qmp_capabilities"}\n%s\n' "$1" >&7
	timeout 2 cat <&7 || true
	exec 7>&-
}

# vf_up: the PF to vdpa_pci, one VF, and its management device
vf_up() {
	$BIND $PF
	echo 1 > /sys/bus/pci/devices/$PF/sriov_numvfs
	wait_for $VDPA_TOOL mgmtdev show pci/$VF1
}

# vf_down: no VFs, the PF back to virtio-pci
vf_down() {
	echo 0 > /sys/bus/pci/devices/$PF/sriov_numvfs
	$BIND -u $PF
}

driver_of() {
	basename "$(readlink "/sys/bus/pci/devices/$1/driver")" 2>/dev/null
}

pci_bind_mgmtdev() {
	pci_machine
	$BIND $FN
	assert_eq vdpa_pci "$(driver_of $FN)" "driver of $FN"
	$VDPA_TOOL mgmtdev show pci/$FN | grep -q "supported_classes net"
	# the bound function is IOMMU-translated and has MSI-X
	[ -e /sys/bus/pci/devices/$FN/iommu_group ]
	# creation attributes the function cannot honour are refused, named
	expect_fail -m "mtu: the function's MTU is fixed" $VDPA_TOOL dev add name p0 mgmtdev pci/$FN mtu 1280
	expect_fail -m "max_vqp: above the function's queue pairs" $VDPA_TOOL dev add name p0 mgmtdev pci/$FN max_vqp 9
	$VDPA_TOOL dev add name p0 mgmtdev pci/$FN mode virtio
	expect_fail -m 'mgmtdev: the function already has a vDPA device' $VDPA_TOOL dev add name p1 mgmtdev pci/$FN
	$VDPA_TOOL dev del p0
	# the function goes back to the kernel's own driver
	$BIND -u $FN
	[ "$(driver_of $FN)" != vdpa_pci ]
	refute $VDPA_TOOL mgmtdev show pci/$FN
}
t "vdpa_pci: vdpa-pci-bind gives a function to vdpa_pci and back" pci_bind_mgmtdev

# A function whose DMA would bypass the IOMMU is refused, saying why.
pci_refuse() {
	pci_machine
	local np=0000:03:00.0
	expect_fail -m 'did not take it' $BIND $np
	dmesg | grep -q "vdpa_pci $np: no VIRTIO_F_ACCESS_PLATFORM"
	refute $VDPA_TOOL mgmtdev show pci/$np
	$BIND -u $np
	[ "$(driver_of $np)" != vdpa_pci ]
}
t "vdpa_pci: a function without VIRTIO_F_ACCESS_PLATFORM is refused with a message" pci_refuse

pci_sriov() {
	pci_machine
	$BIND $PF
	echo 2 > /sys/bus/pci/devices/$PF/sriov_numvfs
	wait_for $VDPA_TOOL mgmtdev show pci/$VF1
	$VDPA_TOOL mgmtdev show pci/0000:02:00.2
	assert_eq vdpa_pci "$(driver_of $VF1)" "driver of the VF"
	echo 0 > /sys/bus/pci/devices/$PF/sriov_numvfs
	refute $VDPA_TOOL mgmtdev show pci/$VF1
	refute $VDPA_TOOL mgmtdev show pci/0000:02:00.2
	[ ! -e /sys/bus/pci/devices/$VF1 ]
	$BIND -u $PF
}
t "vdpa_pci: echo 2 > sriov_numvfs gives two management devices, 0 removes them" pci_sriov

pci_vf_virtio() {
	pci_machine
	local nd
	modprobe virtio_net
	vf_up
	$VDPA_TOOL dev add name vf0 mgmtdev pci/$VF1 mode virtio \
		mac 02:00:00:00:0f:01
	$VDPA_TOOL -d dev show vf0 | grep -q 'mode virtio driver virtio_vdpa'
	nd=$(netdev_of $VF1)
	assert_eq 02:00:00:00:0f:01 "$(cat /sys/class/net/$nd/address)" "MAC"
	sysctl -qw "net.ipv6.conf.$nd.disable_ipv6=1"
	ip link set "$nd" up
	$PKTLOOP -i "$nd" -n "$(on_debug 10000 2000)" -s 60:1514 -w 64
	$VDPA_TOOL dev del vf0
	vf_down
}
t "vdpa_pci: virtio mode on a VF, 10,000 frames through the IOMMU (2,000 on debug)" pci_vf_virtio

pci_vf_vhost() {
	pci_machine
	local cdev out
	vf_up
	$VDPA_TOOL dev add name vf1 mgmtdev pci/$VF1 mode vhost
	cdev=$(chardev_of vf1)
	$VLOOP -d "$cdev" -n 10000 -s 60:1514 -w 64
	# a virtio-pci function cannot enable a queue after DRIVER_OK, and
	# vdpa_pci does not say it can: the backend feature is not offered
	expect_fail -m 'does not offer VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK' \
		$VLOOP -E -d "$cdev" -n 10
	# the doorbells: QEMU's page-per-vq gives each queue a page of the
	# memory BAR, which maps write-only and takes a write; anything else
	# is refused (vdpa_pci/vp_doorbell.h decides what may be mapped)
	python3 - "$cdev" <<'EOF'
import errno, mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_WRITE, offset=4096)
m[0:2] = (1).to_bytes(2, "little")	# queue 1's doorbell, queue 1 rung
m.close()
for what, size, prot, off, want in (
        ("a queue that does not exist", 4096, mmap.PROT_WRITE, 4096 * 64, errno.EINVAL),
        ("a readable mapping", 4096, mmap.PROT_READ | mmap.PROT_WRITE, 0, errno.EINVAL),
        ("two pages", 8192, mmap.PROT_WRITE, 0, errno.EINVAL)):
    try:
        mmap.mmap(fd, size, mmap.MAP_SHARED, prot, offset=off)
        sys.exit("doorbell mmap of %s: mapped, want errno %d" % (what, want))
    except OSError as e:
        if e.errno != want:
            sys.exit("doorbell mmap of %s: errno %d, want %d" % (what, e.errno, want))
EOF
	# a buffer at an address never mapped: the IOMMU refuses the read and
	# reports the fault, naming the VF. (QEMU's virtio-net then sends a
	# frame of bounce-buffer filler instead of flagging NEEDS_RESET, as a
	# real function would, so the status is printed, not asserted.)
	# The fault is expected: the log check ignores IOMMU faults between
	# these two lines (tests/vm/logcheck), and only there.
	dmesg -c > /dev/null
	echo "vdpa-test: expected IOMMU faults begin" > /dev/kmsg
	out=$($VLOOP -d "$cdev" -x unmapped-buffer) || true
	echo "$out"
	grep -q '^unmapped-buffer needs_reset=' <<<"$out"
	# (newer kernels name it with its PCI domain)
	wait_for sh -c "dmesg | grep -Eq 'DMAR: .*Request device \[(0000:)?02:00\.1\] fault'"
	echo "vdpa-test: expected IOMMU faults end" > /dev/kmsg
	# and the device still works afterwards
	$VLOOP -d "$cdev" -n 1000 -s 60:1514 -w 64
	$VDPA_TOOL dev del vf1
	vf_down
}
t "vdpa_pci: vhost mode on a VF, 10,000 frames, doorbells mapped; an unmapped DMA faults in the IOMMU" pci_vf_vhost

pci_cycles() {
	pci_machine
	local i
	for i in $(seq "$(on_debug 20 5)"); do
		$BIND $FN
		$VDPA_TOOL dev add name c0 mgmtdev pci/$FN mode vhost
		[ -c "$(chardev_of c0)" ]
		$VDPA_TOOL dev del c0
		$BIND -u $FN
	done
}
t "vdpa_pci: 20 bind/add/del/unbind cycles (5 on debug)" pci_cycles

# Last: the function is gone for the rest of the boot.
pci_unplug() {
	pci_machine
	local pid rc=0
	$BIND $FN
	$VDPA_TOOL dev add name u0 mgmtdev pci/$FN mode vhost
	$VLOOP -d "$(chardev_of u0)" -n 100000000 -s 60:1514 -w 64 &
	pid=$!
	sleep 2
	kill -0 $pid
	qmp '{"execute":"device_del","arguments":{"id":"fn"}}'
	wait_for test ! -e /sys/bus/pci/devices/$FN ||
		{ echo w > /proc/sysrq-trigger; dmesg | tail -80; return 1; }
	# the driver sees its device go away and fails, it does not hang
	wait $pid || rc=$?
	[ "$rc" != 0 ]
	refute $VDPA_TOOL dev show u0
	refute $VDPA_TOOL mgmtdev show pci/$FN
}
t "vdpa_pci: QMP device_del of a function whose vhost device is in use" pci_unplug
