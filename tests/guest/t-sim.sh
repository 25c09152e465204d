# SPDX-License-Identifier: GPL-2.0
# vdpasim_net in virtio mode: virtio_vdpa + virtio_net on the simulator's
# loopback datapath (the suite's simulator, or upstream's when t-upsim.sh
# runs this file again: lib.sh, SIM).

IPR_OLD=/usr/sbin/vdpa
VDPA=$VDPA_TOOL
# upstream's simulator drops a frame its receive ring has no room for
# (no back-pressure: its rx_overruns), so at most 32 are in flight there
PKTLOOP="$VDPA_TOP/tools/pktloop/pktloop $(suite_sim || echo -w 32)"

sim_setup() {
	sim_load
	modprobe virtio_net
}

# netdev_of DEV: the network interface on vdpa device DEV
netdev_of() {
	local d
	for d in /sys/bus/vdpa/devices/$1/virtio*/net/*; do
		[ -e "$d" ] && { basename "$d"; return 0; }
	done
	echo "no netdev on $1" >&2
	return 1
}

# up_quiet IF: bring IF up with IPv6 off, so only the test's frames flow
up_quiet() {
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip link set "$1" up
}

# Our tool with mode virtio, and iproute2 without a mode (the documented
# default), each give a virtio_net interface with the provisioned MAC and
# MTU; config show agrees.
sim_netdev_both_tools() {
	sim_setup
	sim_add vdpa0 mac 02:00:00:00:00:01 mtu 1400 mode virtio
	$IPR_OLD dev add name vdpa1 mgmtdev vdpasim_net mac 02:00:00:00:00:02 mtu 1400
	for i in 0 1; do
		nd=$(netdev_of vdpa$i)
		assert_eq "02:00:00:00:00:0$((i + 1))" "$(cat /sys/class/net/$nd/address)" "vdpa$i mac"
		assert_eq 1400 "$(cat /sys/class/net/$nd/mtu)" "vdpa$i mtu"
		assert_eq virtio_net "$(basename "$(readlink /sys/class/net/$nd/device/driver)")" "driver"
		$VDPA dev config show vdpa$i | grep -q "mac 02:00:00:00:00:0$((i + 1)) .*mtu 1400"
	done
	$VDPA dev del vdpa0
	$VDPA dev del vdpa1
}
t "vdpasim_net: virtio_net interface with the provisioned MAC and MTU" sim_netdev_both_tools

# 100,000 frames of mixed sizes (20,000 on the debug kernel), minimum to
# MTU, each back exactly once, in order, intact; the TX queue's counters
# match.
sim_loop_100k() {
	local n
	n=$(on_debug 100000 20000)
	sim_setup
	sim_add lp0 mtu 1500 mode virtio
	nd=$(netdev_of lp0)
	up_quiet "$nd"
	before=$(sim_tx lp0 1)
	sim_pktloop lp0 "$n" -i "$nd" -s 60:1514
	after=$(sim_tx lp0 1)
	assert_eq "$n" "$((after - before))" "TX frames counted"
	[ "$(sim_rx lp0 0)" -ge "$((n - $(sim_dropped lp0)))" ]
	$VDPA dev del lp0
}
t "vdpasim_net: 100,000 mixed-size frames loop back intact, in order (20,000 on debug)" sim_loop_100k

# Jumbo frames are carried whole. (Upstream's simulator copies a frame
# through a buffer of one page.)
sim_jumbo() {
	sim_setup
	sim_add j0 mtu 9000 mode virtio
	nd=$(netdev_of j0)
	up_quiet "$nd"
	$PKTLOOP -i "$nd" -n 5000 -s 60:9014
	$VDPA dev del j0
}
t_suite_sim "vdpasim_net: jumbo frames up to MTU 9000" sim_jumbo

# Four queue pairs: ethtool -L combined 4, and frames flow on every pair.
# (Upstream's simulator has one.)
sim_multiqueue() {
	sim_setup
	sim_add mq0 max_vqp 4 mode virtio
	nd=$(netdev_of mq0)
	ethtool -L "$nd" combined 4
	ethtool -l "$nd" | tail -5 | grep -q 'Combined:.*4'
	# no XPS: the flow hash picks the TX queue
	for x in /sys/class/net/$nd/queues/tx-*/xps_cpus; do echo 0 > "$x"; done
	up_quiet "$nd"
	$PKTLOOP -i "$nd" -n 20000 -s 60:1514 -f 32
	for q in 1 3 5 7; do
		n=$(sim_tx mq0 $q)
		echo "tx queue $q: $n"
		[ "$n" -gt 0 ]
	done
	$VDPA dev del mq0
}
t_suite_sim "vdpasim_net: max_vqp 4, ethtool -L combined 4, every pair carries frames" sim_multiqueue

# Deleting a device while frames flow, and unloading the parent with
# devices present, leave nothing behind.
sim_teardown_under_traffic() {
	sim_setup
	sim_add td0 mode virtio
	nd=$(netdev_of td0)
	up_quiet "$nd"
	$PKTLOOP -i "$nd" -n 1000000 -s 60:1514 -t 5 >/dev/null 2>&1 &
	sleep 2
	$VDPA dev del td0
	wait || true
	sim_add td1 mode virtio
	sim_add td2 mode virtio
	rmmod vdpa_sim_net
	[ -z "$(ls /sys/bus/vdpa/devices)" ]
	unload_suite
}
t "vdpasim_net: delete under traffic, unload with devices present" sim_teardown_under_traffic

# A front end that lets go of a device takes its callbacks back: after
# virtio_vdpa is unbound through sysfs, or unloaded, a config change
# (dev set mac) calls nothing that is gone. (Before, the simulator called
# the freed virtio device's config callback: KASAN slab-use-after-free
# in virtio_config_changed on 6.12-debug.)
sim_callbacks_after_unbind() {
	sim_setup
	sim_add cb0 mode virtio
	netdev_of cb0 >/dev/null
	echo cb0 > /sys/bus/vdpa/drivers/virtio_vdpa/unbind
	[ ! -e /sys/bus/vdpa/devices/cb0/driver ]
	$VDPA dev set name cb0 mac 02:00:00:00:00:33
	$VDPA dev config show cb0 | grep -q 'mac 02:00:00:00:00:33 '
	$VDPA dev del cb0
	sim_add cb1 mode virtio
	netdev_of cb1 >/dev/null
	rmmod virtio_vdpa
	$VDPA dev set name cb1 mac 02:00:00:00:00:34
	$VDPA dev config show cb1 | grep -q 'mac 02:00:00:00:00:34 '
	$VDPA dev del cb1
}
t "vdpasim_net: unbound or unloaded virtio_vdpa leaves no callback behind" sim_callbacks_after_unbind

# unreclaimable slab memory, in kB
slab_kb() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; }

# one add/traffic/delete cycle
sim_cycle() {
	sim_add cy0 mode virtio
	nd=$(netdev_of cy0)
	up_quiet "$nd"
	sim_pktloop cy0 500 -i "$nd" -s 60:1514
	$VDPA dev del cy0
}

# Twenty add/traffic/delete cycles (five on the debug kernel) leave no
# memory behind (slab counts here; kmemleak checks more closely on the
# debug kernel), then 64 devices at once (16: each is a virtio_net netdev).
sim_cycles_and_many() {
	local n many
	n=$(on_debug 20 5) many=$(on_debug 64 16)
	sim_setup
	sim_cycle	# warm up caches
	sleep 1
	before=$(slab_kb)
	for i in $(seq "$n"); do
		sim_cycle
	done
	sleep 2		# let RCU free what the deletions queued
	after=$(slab_kb)
	echo "unreclaimable slab: $before kB before, $after kB after $n cycles"
	# a leak of one netdev or 12 kB per cycle would exceed this; debug
	# kernels (KASAN's quarantine holds freed objects) have kmemleak,
	# which the harness runs after the suite instead
	[ -e /sys/kernel/debug/kmemleak ] || [ $((after - before)) -lt 256 ]
	for i in $(seq 1 "$many"); do
		sim_add many$i mode virtio
	done
	assert_eq "$many" "$(ls /sys/bus/vdpa/devices | wc -l)" "devices"
	assert_eq "$many" "$(ls -d /sys/bus/vdpa/devices/*/virtio*/net/* | wc -l)" "netdevs"
	for i in $(seq 1 "$many"); do $VDPA dev del many$i; done
	[ -z "$(ls /sys/bus/vdpa/devices)" ]
}
t "vdpasim_net: 20 add/traffic/del cycles (5 on debug), 64 devices at once (16 on debug)" sim_cycles_and_many

# queue_types TOOL DEV N: what TOOL calls queues 0 to N-1 of DEV (one
# python for the N answers: each start costs a second on the debug kernel)
queue_types() {
	local i
	for i in $(seq 0 $(($3 - 1))); do
		"$1" -j dev vstats show "$2" qidx "$i"
	done | python3 -S -c '
import json, sys
text, dec, at, types = sys.stdin.read(), json.JSONDecoder(), 0, []
while text[at:].strip():
	at += len(text[at:]) - len(text[at:].lstrip())
	doc, at = dec.raw_decode(text, at)
	types.append(doc["vstats"][sys.argv[1]]["queue_type"])
print(" ".join(types))' "$2"
}

# vstats names each queue from the negotiated features and max_vqp, which
# the kernel sends before the queue index, as upstream does: iproute2
# (6.1 and the newest) names the queue when it meets the index, and once
# called a one-pair device's control queue "rx". On upstream's simulator
# too, which offers no MQ: upstream's core then sends no max_vqp, and
# both iproute2s name a one-pair device's queues "control_vq tx rx"
# (seen on 6.12 and sid); the suite's core sends one pair. (Two pairs on
# the suite's simulator only.)
sim_vstats_queue_types() {
	local tool d devs=(qt1 qt3) data=0x100000000
	# VERSION_1 alone: no queue but data (upstream's simulator also wants
	# ACCESS_PLATFORM, or the driver's features are refused)
	suite_sim || data=0x300000000
	sim_setup
	sim_add qt1 mode virtio
	sim_add qt3 mode virtio device_features $data
	if suite_sim; then
		sim_add qt2 mode virtio max_vqp 2
		devs+=(qt2)
	fi
	for d in "${devs[@]}"; do netdev_of $d >/dev/null; done
	for tool in "$IPR_OLD" "$IPR_NEW" "$VDPA"; do
		assert_eq "rx tx control_vq" "$(queue_types "$tool" qt1 3)" "$tool, one pair"
		assert_eq "rx tx" "$(queue_types "$tool" qt3 2)" "$tool, no control queue"
		! suite_sim ||
			assert_eq "rx tx rx tx control_vq" "$(queue_types "$tool" qt2 5)" "$tool, two pairs"
	done
	for d in "${devs[@]}"; do $VDPA dev del $d; done
}
t "vdpasim_net: vstats names every queue (rx, tx, control_vq) as iproute2 6.1 and the newest do" sim_vstats_queue_types

# move DEV DRIVER: bind DEV to DRIVER through driver_override, as
# driverctl and libvirt do: name it, unbind, probe again
move() {
	local d=/sys/bus/vdpa/devices/$1
	echo "$2" > "$d/driver_override"
	echo "$1" > "$d/driver/unbind"
	echo "$1" > /sys/bus/vdpa/drivers_probe
	assert_eq "$2" "$(basename "$(readlink "$d/driver")")" "driver of $1"
}

# driver_override, as upstream: a device moves between virtio_vdpa and
# vhost_vdpa, both ways, with traffic after each move, and its mode (vdpa
# -d dev show) follows the binding. Cleared, the device binds by its
# mode again; a sysfs bind to the other mode's driver needs the override.
sim_driver_override() {
	local d=/sys/bus/vdpa/devices/do0
	sim_setup
	modprobe vhost_vdpa
	sim_add do0 mode virtio
	assert_eq "(null)" "$(cat $d/driver_override)" "driver_override at first"
	up_quiet "$(netdev_of do0)"
	sim_pktloop do0 1000 -i "$(netdev_of do0)" -s 60:1514
	move do0 vhost_vdpa
	$VDPA -d dev show do0 | grep -q 'mode vhost driver vhost_vdpa'
	$VLOOP -d "$(chardev_of do0)" -n 1000 -s 60:1514
	move do0 virtio_vdpa
	$VDPA -d dev show do0 | grep -q 'mode virtio driver virtio_vdpa'
	up_quiet "$(netdev_of do0)"
	sim_pktloop do0 1000 -i "$(netdev_of do0)" -s 60:1514
	move do0 vhost_vdpa
	echo > $d/driver_override
	assert_eq "(null)" "$(cat $d/driver_override)" "driver_override cleared"
	echo do0 > $d/driver/unbind
	expect_fail sh -c 'echo do0 > /sys/bus/vdpa/drivers/virtio_vdpa/bind'
	echo do0 > /sys/bus/vdpa/drivers_probe
	$VDPA -d dev show do0 | grep -q 'mode vhost driver vhost_vdpa'
	$VLOOP -d "$(chardev_of do0)" -n 1000 -s 60:1514
	$VDPA dev del do0
}
t "vdpasim_net: driver_override moves a device between virtio_vdpa and vhost_vdpa, traffic after each move" sim_driver_override

# The loss allowance (sim_pktloop in lib.sh, pktloop -l) can see:
# over a veth pair whose sender drops about 1 frame in 100 (netem),
# pktloop without -l fails, and with -l it passes and counts exactly
# the frames netem dropped.
pktloop_loss_canary() {
	local pl=$VDPA_TOP/tools/pktloop/pktloop out lost q0 q1
	modprobe veth
	modprobe sch_netem
	ip link add name pl0 type veth peer name pl1
	up_quiet pl0
	up_quiet pl1
	tc qdisc add dev pl0 root netem loss 1%
	qdrops() { tc -s qdisc show dev pl0 | sed -n 's/.*(dropped \([0-9]*\),.*/\1/p'; }
	refute "$pl" -i pl0 -r pl1 -n 5000 -s 60:1514 -t 3
	q0=$(qdrops)
	out=$("$pl" -i pl0 -r pl1 -n 5000 -s 60:1514 -t 3 -l 5000)
	q1=$(qdrops)
	echo "$out"
	lost=$(pktloop_lost "$out")
	[ "$lost" -gt 0 ]
	assert_eq "$((q1 - q0))" "$lost" "frames pktloop counted lost against netem's drops"
	ip link del pl0
}
# (the debug kernel has no netem)
case $(uname -r) in
*-debug*) echo "# t-sim: pktloop's loss canary not on a debug kernel (no sch_netem)" ;;
*)	t_suite_sim "pktloop -l: a lossy link fails a loop without it, and with it each frame lost is counted" pktloop_loss_canary ;;
esac
