# SPDX-License-Identifier: GPL-2.0
# Soak: a long run of checked frames in each mode, every frame back
# exactly once, in order and intact, and the device's own counters
# agreeing with the count: a million in vhost mode everywhere; in
# virtio mode a million on the plain kernels and a quarter of that on
# the debug kernel. In virtio mode each frame is a round trip through
# the kernel's network stack (pktloop's packet socket, virtio_net, the
# simulator's worker): the debug kernel (KASAN, lockdep, kmemleak and
# DMA-API debugging save a stack trace at every allocation, lock and
# mapping: two thirds of its time, measured with perf) passed 778
# frames a second beside the other guests, so its million took 21
# minutes on the machine of session 12 and about 50 on a slower one
# (session 13), more than make check has. Its quarter million takes the
# same paths; the plain kernels pass a million in 25 s alone, two to
# three minutes beside the other guests.
SOAK_N=1000000 SOAK_VIRTIO_N=$(on_debug 1000000 250000)

soak_vhost() {
	local pid
	modprobe vdpa
	$VDPA_TOOL dev add name sk0 mgmtdev vdpasim_net mode vhost
	mkfifo /tmp/soak.hold
	# -H: the device stays as the run left it until the fifo closes
	$VLOOP -H -d "$(chardev_of sk0)" -n $SOAK_N -s 60:1514 -t 60 \
		< /tmp/soak.hold 2> /tmp/soak.err &
	pid=$!
	exec 8> /tmp/soak.hold
	rm /tmp/soak.hold
	until grep -q 'holding the device' /tmp/soak.err; do
		kill -0 $pid
		sleep 1
	done
	assert_eq $SOAK_N "$(vstat sk0 1 received_desc)" "TX descriptors the device counted"
	# a frame may fill more than one receive buffer (mergeable buffers)
	[ "$(vstat sk0 0 completed_desc)" -ge $SOAK_N ]
	exec 8>&-
	wait $pid
	rm -f /tmp/soak.err
	$VDPA_TOOL dev del sk0
	report soak-vhost $SOAK_N "checked frames soaked, vhost mode"
}

soak_virtio() {
	local nd d before after
	modprobe vdpa
	modprobe virtio_net
	$VDPA_TOOL dev add name sk1 mgmtdev vdpasim_net mtu 1500 mode virtio
	for d in /sys/bus/vdpa/devices/sk1/virtio*/net/*; do nd=$(basename "$d"); done
	sysctl -qw "net.ipv6.conf.$nd.disable_ipv6=1"
	ip link set "$nd" up
	before=$(vstat sk1 1 received_desc)
	$VDPA_TOOL_PKTLOOP -i "$nd" -n $SOAK_VIRTIO_N -s 60:1514 -t 60
	after=$(vstat sk1 1 received_desc)
	assert_eq $SOAK_VIRTIO_N "$((after - before))" "TX descriptors the device counted"
	[ "$(vstat sk1 0 completed_desc)" -ge $SOAK_VIRTIO_N ]
	$VDPA_TOOL dev del sk1
	report soak-virtio $SOAK_VIRTIO_N "checked frames soaked, virtio mode"
}

VDPA_TOOL_PKTLOOP=$VDPA_TOP/tools/pktloop/pktloop
t "soak: checked frames through vhost_loop, vhost mode" soak_vhost
t "soak: checked frames through virtio_net, virtio mode, the device's counters agreeing" soak_virtio
