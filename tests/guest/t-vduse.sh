# SPDX-License-Identifier: GPL-2.0
# The kernel's own vDPA parents on the suite's core: where the kernel has
# its own vDPA core, the suite's is built against that kernel's
# <linux/vdpa.h> (modinfo vdpa: vdpa_api kernel) and exports the same
# symbols with the same modversions, so the kernel's VDUSE (vduse.ko,
# built by Debian against its own vdpa.ko) loads on it and its devices
# work: a block device exported by qemu-storage-daemon becomes a virtio
# disk through the suite's virtio_vdpa, or a /dev/vhost-vdpa-N for a
# driver in user space through the suite's vhost_vdpa.

IPR_OLD=/usr/sbin/vdpa
VDUSE_QSD_PID=

# vduse_skip: why this kernel has no test here, or nothing
vduse_skip() {
	if [ "$(modinfo -F vdpa_api vdpa 2>/dev/null)" != kernel ]; then
		echo "the kernel has no vDPA core of its own (the suite's core is built against its own copy of the vDPA API here)"
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

# vduse_add NAME MODE: a 128 MiB image exported by qemu-storage-daemon as
# the VDUSE block device NAME, added with the suite's tool in MODE and
# bound to that mode's bus driver
vduse_add() {
	local drv=virtio_vdpa
	[ "$2" = vhost ] && drv=vhost_vdpa
	modprobe vdpa
	modprobe vduse
	truncate -s 128M /tmp/vduse.img
	vduse_export "$1" /tmp/vduse.img
	$VDPA_TOOL dev add name "$1" mgmtdev vduse mode "$2"
	$VDPA_TOOL -d dev show "$1" | grep -q "^$1: type block mgmtdev vduse .*mode $2 driver $drv"
}

# vduse_del NAME: the device, the daemon, the image and vduse go
vduse_del() {
	$VDPA_TOOL dev del "$1"
	kill $VDUSE_QSD_PID
	wait $VDUSE_QSD_PID || true
	rm -f /tmp/vduse.img
	modprobe -r vduse
}

# A VDUSE block device, added with the suite's vdpa tool in virtio mode,
# is a virtio_blk disk; 64 MiB written to it read back byte for byte and
# are in the exported file; deleted, the disk and the device go.
vduse_blk_virtio() {
	local d blk out
	modprobe virtio_blk
	vduse_add vdb0 virtio
	for _ in $(seq 50); do
		for d in /sys/bus/vdpa/devices/vdb0/virtio*/block/*; do
			[ -e "$d" ] && blk=/dev/$(basename "$d")
		done
		[ -n "${blk:-}" ] && [ -b "$blk" ] && break
		sleep 0.1
	done
	[ -b "$blk" ]
	assert_eq 262144 "$(cat "/sys/block/$(basename "$blk")/size")" "sectors"
	# its config as upstream's core reports a block device's
	# (VDPA_ATTR_DEV_BLK_*: 21 capacity, 23 blk_size, 35 read_only,
	# 36 flush); iproute2 and the suite's tool print the name (iproute2
	# has no printer for them), and neither fails on them
	out=$(python3 "$VDPA_TOP/tests/guest/nlraw.py" DEV_CONFIG_GET DEV_NAME=str:vdb0)
	echo "$out"
	assert_eq "262144 512 0 1" "$(python3 -S -c '
import json, sys
a = json.loads(sys.stdin.read())
print(a["21"], a["23"], a["35"], a["36"])' <<<"$out")" "capacity, blk_size, read_only, flush"
	$IPR_OLD dev config show vdb0 | grep -q '^vdb0:'
	$VDPA_TOOL dev config show vdb0 | grep -q '^vdb0:'
	head -c 64M /dev/urandom > /tmp/vduse.pat
	dd if=/tmp/vduse.pat of="$blk" bs=1M oflag=direct status=none
	dd if="$blk" of=/tmp/vduse.back bs=1M count=64 iflag=direct status=none
	cmp /tmp/vduse.pat /tmp/vduse.back
	cmp <(head -c 64M /tmp/vduse.img) /tmp/vduse.pat
	vduse_del vdb0
	[ ! -e "$blk" ]
	rm -f /tmp/vduse.pat /tmp/vduse.back
	# virtio_blk stays (built in on the debug kernel)
}

# The same device in vhost mode: /dev/vhost-vdpa-N answers the vhost-vdpa
# uAPI (device id 2, its config size and capacity), and a driver in user
# space (vhblk.py) maps memfd memory with one IOTLB message, which
# vhost_vdpa hands to VDUSE by file and offset (nothing pinned), sets up
# queue 0 and writes and reads 4 KiB at sector 8 through the ring, served
# by qemu-storage-daemon from that memory: back intact, and in the file.
vduse_blk_vhost() {
	local cdev out before
	vduse_add vdb1 vhost
	cdev=$(chardev_of vdb1)
	before=$(pins)
	out=$(timeout 60 python3 "$VDPA_TOP/tests/guest/vhblk.py" "$cdev" 8)
	echo "$out"
	grep -Eq '^capacity 262144 config_size [0-9]+$' <<<"$out"
	pins_back "$before" "pins after the vhost-vdpa block I/O"
	# what the device wrote is in the exported file
	python3 -S -c "
import sys
d = open('/tmp/vduse.img', 'rb').read()[8 * 512:8 * 512 + 4096]
sys.exit(d != bytes((i * 7 + 8) & 0xff for i in range(4096)))"
	vduse_del vdb1
	[ ! -e "$cdev" ]
}

why=$(vduse_skip)
if [ -n "$why" ]; then
	echo "# t-vduse: not on this kernel: $why"
else
	t "vduse (the kernel's own) loads on the suite's core: same symbols, same versions" vduse_loads
	t "vduse: a qemu-storage-daemon block device is a virtio_blk disk through virtio_vdpa, 64 MiB back byte for byte" vduse_blk_virtio
	t "vduse: the same device in vhost mode answers vhost-vdpa (device id 2, config) and serves I/O from memfd memory" vduse_blk_vhost
fi
