# SPDX-License-Identifier: GPL-2.0
# The kernel's own vDPA parents on the suite's core: where the kernel has
# its own vDPA core, the suite's is built against that kernel's
# <linux/vdpa.h> (modinfo vdpa: vdpa_api kernel) and exports the same
# symbols with the same modversions, so the kernel's VDUSE (vduse.ko,
# built by Debian against its own vdpa.ko) loads on it and its devices
# work: a block device exported by qemu-storage-daemon becomes a virtio
# disk through the suite's virtio_vdpa.

IPR_OLD=/usr/sbin/vdpa
VDUSE_QSD_PID=

# vduse_skip: why this kernel has no test here, or nothing
vduse_skip() {
	if [ "$(modinfo -F vdpa_api vdpa 2>/dev/null)" != kernel ]; then
		echo "the suite's core is built against its own copy of the vDPA API here (no in-tree vDPA, or 7.x's, whose bridge is not written yet: issue 14)"
	elif ! modinfo vduse >/dev/null 2>&1; then
		echo "the kernel has no vduse module"
	fi
}

# modprobe vduse: no "disagrees about version of symbol", no "Unknown
# symbol", and its management device answers over the suite's netlink
vduse_loads() {
	local log
	modprobe vdpa
	log=$(dmesg | wc -l)
	modprobe vduse
	[ -c /dev/vduse/control ]
	refute grep -Eq 'disagrees about version|Unknown symbol' <(dmesg | tail -n +"$log")
	$VDPA_TOOL mgmtdev show vduse | grep -q 'supported_classes .*block'
	$IPR_OLD mgmtdev show vduse | grep -q 'supported_classes .*block'
	modprobe -r vduse
}

# vduse_export NAME IMAGE: qemu-storage-daemon exports IMAGE as the VDUSE
# block device NAME; waits for /dev/vduse/NAME
vduse_export() {
	qemu-storage-daemon \
		--blockdev "driver=file,node-name=f,filename=$2,cache.direct=off" \
		--export "type=vduse-blk,id=e0,node-name=f,name=$1,writable=on" \
		> /tmp/qsd.log 2>&1 &
	VDUSE_QSD_PID=$!
	for _ in $(seq 100); do
		[ -c "/dev/vduse/$1" ] && return 0
		kill -0 $VDUSE_QSD_PID || break
		sleep 0.1
	done
	cat /tmp/qsd.log
	return 1
}

# A VDUSE block device, added with the suite's vdpa tool in virtio mode,
# is a virtio_blk disk; 64 MiB written to it read back byte for byte and
# are in the exported file; deleted, the disk and the device go.
vduse_blk_virtio() {
	local d blk
	modprobe vdpa
	modprobe vduse
	modprobe virtio_blk
	truncate -s 128M /tmp/vduse.img
	vduse_export vdb0 /tmp/vduse.img
	$VDPA_TOOL dev add name vdb0 mgmtdev vduse mode virtio
	$VDPA_TOOL -d dev show vdb0 | grep -q '^vdb0: type block mgmtdev vduse .*mode virtio driver virtio_vdpa'
	for _ in $(seq 50); do
		for d in /sys/bus/vdpa/devices/vdb0/virtio*/block/*; do
			[ -e "$d" ] && blk=/dev/$(basename "$d")
		done
		[ -n "${blk:-}" ] && [ -b "$blk" ] && break
		sleep 0.1
	done
	[ -b "$blk" ]
	assert_eq 262144 "$(cat "/sys/block/$(basename "$blk")/size")" "sectors"
	head -c 64M /dev/urandom > /tmp/vduse.pat
	dd if=/tmp/vduse.pat of="$blk" bs=1M oflag=direct status=none
	dd if="$blk" of=/tmp/vduse.back bs=1M count=64 iflag=direct status=none
	cmp /tmp/vduse.pat /tmp/vduse.back
	cmp <(head -c 64M /tmp/vduse.img) /tmp/vduse.pat
	$VDPA_TOOL dev del vdb0
	[ ! -e "$blk" ]
	kill $VDUSE_QSD_PID
	wait $VDUSE_QSD_PID || true
	rm -f /tmp/vduse.img /tmp/vduse.pat /tmp/vduse.back
	# virtio_blk stays (built in on the debug kernel)
	modprobe -r vduse
}

why=$(vduse_skip)
if [ -n "$why" ]; then
	echo "# t-vduse: not on this kernel: $why"
else
	t "vduse (the kernel's own) loads on the suite's core: same symbols, same versions" vduse_loads
	t "vduse: a qemu-storage-daemon block device is a virtio_blk disk through virtio_vdpa, 64 MiB back byte for byte" vduse_blk_virtio
fi
