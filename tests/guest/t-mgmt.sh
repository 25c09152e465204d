# SPDX-License-Identifier: GPL-2.0
# The management plane: the vdpa netlink family through iproute2's vdpa
# (Debian 12's 6.1 and bookworm-backports' 6.15), the suite's tools/vdpa
# and a raw netlink client (nlraw.py), against the test-only parent
# "vdpa_test" (tests/kmod).

IPR_OLD=/usr/sbin/vdpa
# -S: no site module; python's start-up is slow under TCG
PY="python3 -S"
NLRAW="$PY $VDPA_TOP/tests/guest/nlraw.py"

mgmt_setup() {
	no_virtio_net
	modprobe vdpa
	modprobe vdpa_test_parent
}

mgmt_cleanup() {
	no_virtio_net
	rmmod vdpa_test_parent 2>/dev/null || true
}

# n_devs: how many vdpa devices exist
n_devs() { ls /sys/bus/vdpa/devices | wc -l; }

# Both iproute2 versions list the management device with its classes,
# maximum queues and features.
mgmtdev_show_iproute2() {
	mgmt_setup
	for v in "$IPR_OLD" "$IPR_NEW"; do
		$v mgmtdev show
		$v mgmtdev show | grep -q '^vdpa_test:'
		$v -j mgmtdev show vdpa_test | $PY -c '
import json, sys
m = json.load(sys.stdin)["mgmtdev"]["vdpa_test"]
assert m["supported_classes"] == ["net"], m
assert m["max_supported_vqs"] == 9, m
assert "VERSION_1" in m["dev_features"] and "MAC" in m["dev_features"], m'
	done
}
t "mgmtdev show with iproute2 6.1 and 6.15" mgmtdev_show_iproute2

# Add, show, config show and delete with Debian 12's iproute2.
dev_lifecycle_iproute2_61() {
	mgmt_setup
	$IPR_OLD dev add name t0 mgmtdev vdpa_test mac 02:00:00:00:00:01 mtu 1400 max_vqp 2
	$IPR_OLD dev show t0
	$IPR_OLD -j dev show t0 | $PY -c '
import json, sys
d = json.load(sys.stdin)["dev"]["t0"]
assert d["type"] == "network" and d["mgmtdev"] == "vdpa_test", d
assert d["max_vqs"] == 5 and d["max_vq_size"] == 256, d'
	$IPR_OLD dev config show t0
	$IPR_OLD -j dev config show t0 | $PY -c '
import json, sys
c = json.load(sys.stdin)["config"]["t0"]
assert c["mac"] == "02:00:00:00:00:01", c
assert c["mtu"] == 1400 and c["max_vq_pairs"] == 2, c
assert c["link "] == "up", c'
	$IPR_OLD dev del t0
	assert_eq 0 "$(n_devs)" "devices left"
}
t "dev add/show/config show/del with iproute2 6.1" dev_lifecycle_iproute2_61

# The newest iproute2 provisions device features and sets the MAC.
dev_features_and_set_iproute2_new() {
	mgmt_setup
	$IPR_NEW dev add name t1 mgmtdev vdpa_test mac 02:00:00:00:00:02 device_features 0x300010020
	$IPR_NEW -j dev config show t1 | $PY -c '
import json, sys
c = json.load(sys.stdin)["config"]["t1"]
assert c["mac"] == "02:00:00:00:00:02", c
assert "mtu" not in c, c'
	$IPR_NEW dev set name t1 mac 02:00:00:00:00:03
	$IPR_NEW dev config show t1 | grep -q 'mac 02:00:00:00:00:03'
	$IPR_NEW dev del t1
}
t "device_features and dev set mac with iproute2 6.15" dev_features_and_set_iproute2_new

# dev add naming a management device whose module is not loaded loads it
# through its vdpa-mgmtdev-<name> alias.
mgmtdev_autoload() {
	mgmt_cleanup
	refute grep -q '^vdpa_test_parent ' /proc/modules
	$IPR_OLD dev add name auto0 mgmtdev vdpa_test
	grep -q '^vdpa_test_parent ' /proc/modules
	$IPR_OLD dev del auto0
}
t "dev add loads the management device's module" mgmtdev_autoload

# The kernel's own checks, through raw netlink: each is refused with the
# right errno and a message naming the attribute, and creates nothing.
# One request per line; the expected answer follows after " => ".
bad_requests() {
	local m=MGMTDEV_DEV_NAME=str:vdpa_test
	cat <<EOR
DEV_NEW $m => 22 .*missing device name \(VDPA_ATTR_DEV_NAME\)
DEV_NEW DEV_NAME=str:x MGMTDEV_DEV_NAME=str:nope => 19 .*no such management device
DEV_NEW DEV_NAME=str:x => 22 .*missing management device name
DEV_NEW DEV_NAME=str:x $m DEV_NET_CFG_MACADDR=hex:0200000000 => 22 .*mac: a MAC address is 6 bytes
DEV_NEW DEV_NAME=str:x $m DEV_NET_CFG_MACADDR=hex:010000000001 => 22 .*mac: not a valid unicast
DEV_NEW DEV_NAME=str:x $m DEV_NET_CFG_MTU=u16:67 => 34 .*mtu: below the virtio-net minimum
DEV_NEW DEV_NAME=str:x $m DEV_NET_CFG_MTU=u16:9001 => 34 .*mtu: above the device maximum
DEV_NEW DEV_NAME=str:x $m DEV_NET_CFG_MAX_VQP=u16:0 => 22 .*max_vqp: at least one
DEV_NEW DEV_NAME=str:x $m DEV_NET_CFG_MAX_VQP=u16:5 => 34 .*max_vqp: above the device maximum
DEV_NEW DEV_NAME=str:x $m EXT_DEV_MODE=u8:3 => 22 .*mode: unknown mode
DEV_NEW DEV_NAME=str:x $m DEV_FEATURES=u64:0x20 => 22 .*VIRTIO_F_VERSION_1
DEV_NEW DEV_NAME=str:x $m DEV_FEATURES=u64:0x100000100000000 => 95 .*device_features: has bits
DEV_NEW DEV_NAME=str:a/b $m => 22 .*without '/'
DEV_NEW DEV_NAME=str:dup $m => ok
DEV_NEW DEV_NAME=str:dup $m => 17 .*name: a vdpa device with this name exists
DEV_DEL DEV_NAME=str:nope => 19 .*no such vdpa device
DEV_DEL => 22 .*missing device name
DEV_VSTATS_GET DEV_NAME=str:dup => 22 .*missing queue index
DEV_VSTATS_GET DEV_NAME=str:dup DEV_QUEUE_INDEX=u32:3 => 34 .*qidx: no such queue
DEV_ATTR_SET DEV_NAME=str:dup DEV_NET_CFG_MTU=u16:1000 => 95 .*only the MAC address
DEV_DEL DEV_NAME=str:dup => ok
EOR
}
bad_input_rejected() {
	mgmt_setup
	local req want got i=0
	mapfile -t got < <(bad_requests | sed 's/ => .*//' | $NLRAW - |
		sed 's/^error \([0-9]*\) ([^)]*): /\1 /')
	while IFS= read -r line; do
		req=${line% => *} want=${line#* => }
		echo "$req -> ${got[$i]:-<nothing>}"
		[[ ${got[$i]} =~ ^$want ]] || { echo "  want $want"; return 1; }
		i=$((i + 1))
	done < <(bad_requests)
	assert_eq 0 "$(n_devs)" "devices after refused requests"
}
t "malformed requests are refused by the kernel, naming the attribute" bad_input_rejected

# iproute2's own local checks (malformed MAC, MTU over 16 bits, missing
# name) also refuse, with a non-zero exit.
bad_input_iproute2() {
	mgmt_setup
	expect_fail $IPR_OLD dev add name x mgmtdev vdpa_test mac zz:00:00:00:00:01
	expect_fail $IPR_OLD dev add name x mgmtdev vdpa_test mtu 70000
	expect_fail $IPR_OLD dev add mgmtdev vdpa_test
	expect_fail -m 'no such management device' $IPR_OLD dev add name x mgmtdev nope
	assert_eq 0 "$(n_devs)" "devices"
}
t "iproute2 refuses malformed input" bad_input_iproute2

# A device whose config generation never settles (a guest flooding its
# control queue with MAC changes, a PCI function reporting nonsense):
# config show on it, and a dump of every device's config, still return,
# and adding another device is not stalled behind them. (Before the
# bound, the read looped in the kernel for good.)
config_generation_storm() {
	mgmt_setup
	$IPR_OLD dev add name gs0 mgmtdev vdpa_test
	echo 1 > /sys/module/vdpa_test_parent/parameters/gen_storm
	timeout 30 $IPR_OLD dev config show gs0 | grep -q '^gs0: mac '
	timeout 30 $IPR_OLD dev config show | grep -q '^gs0: mac '
	timeout 30 $IPR_OLD dev add name gs1 mgmtdev vdpa_test
	echo 0 > /sys/module/vdpa_test_parent/parameters/gen_storm
	$IPR_OLD dev del gs1
	$IPR_OLD dev del gs0
}
t "a config generation that never settles stalls nothing" config_generation_storm

# A device whose config reads hang (the test parent's stall_config) holds
# up only itself: while its `dev config show` waits, adding, showing and
# deleting other devices, and dumping, go on. (Before, the query held the
# core's global lock: every add and delete waited behind the hung read.)
config_read_stalls_nothing() {
	local pid p=/sys/module/vdpa_test_parent/parameters
	mgmt_setup
	$IPR_OLD dev add name st0 mgmtdev vdpa_test
	echo 1 > $p/stall_config
	$IPR_OLD dev config show st0 > /tmp/st0.out &
	pid=$!
	for i in $(seq 100); do
		[ "$(cat $p/config_stalled)" = 1 ] && break
		sleep 0.1
	done
	assert_eq 1 "$(cat $p/config_stalled)" "config reads waiting"
	timeout 20 $IPR_OLD dev add name st1 mgmtdev vdpa_test
	timeout 20 $IPR_OLD dev show st1
	timeout 20 $IPR_OLD dev del st1
	# the read is still waiting: the above did not wait for it
	assert_eq 1 "$(cat $p/config_stalled)" "config reads waiting"
	kill -0 $pid
	echo 0 > $p/stall_config
	wait $pid
	grep -q '^st0: mac ' /tmp/st0.out
	rm -f /tmp/st0.out
	$IPR_OLD dev del st0
}
t "a device whose config reads hang holds up no other device" config_read_stalls_nothing

# The mode is chosen at creation and reported; without it, the default.
mode_attribute() {
	mgmt_setup
	local out
	out=$($NLRAW - <<EOR
DEV_NEW DEV_NAME=str:m1 MGMTDEV_DEV_NAME=str:vdpa_test EXT_DEV_MODE=u8:2
DEV_NEW DEV_NAME=str:m2 MGMTDEV_DEV_NAME=str:vdpa_test
DEV_GET DEV_NAME=str:m1
DEV_GET DEV_NAME=str:m2
EOR
)
	echo "$out"
	sed -n 3p <<<"$out" | grep -q '"512": 2'
	sed -n 4p <<<"$out" | grep -q '"512": 1'
	grep -q '^MODALIAS=vdpa:vhost$' /sys/bus/vdpa/devices/m1/uevent
	grep -q '^MODALIAS=vdpa:virtio$' /sys/bus/vdpa/devices/m2/uevent
	printf 'DEV_DEL DEV_NAME=str:m%s\n' 1 2 | $NLRAW -
}
t "mode attribute: chosen at creation, default virtio" mode_attribute

# The default mode: virtio or vhost, anything else refused with EINVAL and
# nothing changed; writers racing dev add (the parameter was a string,
# freed by a write while dev add read it, and took any word).
default_mode_param() {
	mgmt_setup
	local p=/sys/module/vdpa/parameters/default_mode i
	assert_eq virtio "$(cat $p)" "default_mode"
	echo vhost > $p
	$IPR_OLD dev add name dm0 mgmtdev vdpa_test
	$VDPA_TOOL -d dev show dm0 | grep -q ' mode vhost '
	expect_fail -m 'write error: Invalid argument' bash -c "echo bogus > $p"
	assert_eq vhost "$(cat $p)" "default_mode after a refused write"
	(for i in $(seq "$(on_debug 300 100)"); do echo virtio > $p; echo vhost > $p; done) &
	for i in $(seq "$(on_debug 40 15)"); do
		$IPR_OLD dev add name dr$i mgmtdev vdpa_test
		$IPR_OLD dev del dr$i
	done
	wait
	echo virtio > $p
	$IPR_OLD dev del dm0
}
t "default_mode: virtio or vhost, anything else refused; writes race dev add safely" default_mode_param

# Changes need CAP_NET_ADMIN; queries do not.
non_admin_eperm() {
	mgmt_setup
	local nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	expect_fail -m 'Operation not permitted' $nobody $IPR_OLD dev add name np mgmtdev vdpa_test
	assert_eq 0 "$(n_devs)" "devices"
	$IPR_OLD dev add name np mgmtdev vdpa_test
	expect_fail -m 'Operation not permitted' $nobody $IPR_OLD dev del np
	$nobody $IPR_OLD dev show np
	$IPR_OLD dev del np
}
t "dev add/del without CAP_NET_ADMIN fail with EPERM" non_admin_eperm

# 256 devices at once (64 on the debug kernel), shown by a dump, then
# removed.
many_devices() {
	local n
	n=$(on_debug 256 64)
	mgmt_setup
	for i in $(seq 1 "$n"); do
		echo DEV_NEW DEV_NAME=str:many$i MGMTDEV_DEV_NAME=str:vdpa_test
	done | $NLRAW - >/dev/null
	assert_eq "$n" "$(n_devs)" "devices"
	assert_eq "$n" "$($IPR_OLD -j dev show | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["dev"]))')" "dumped devices"
	for i in $(seq 1 "$n"); do
		echo DEV_DEL DEV_NAME=str:many$i
	done | $NLRAW - >/dev/null
	assert_eq 0 "$(n_devs)" "devices"
}
t "256 devices added, dumped and removed (64 on debug)" many_devices

# Unloading a parent with devices present removes them.
unload_with_devices() {
	mgmt_setup
	$IPR_OLD dev add name u0 mgmtdev vdpa_test
	$IPR_OLD dev add name u1 mgmtdev vdpa_test
	rmmod vdpa_test_parent
	assert_eq 0 "$(n_devs)" "devices"
	unload_suite
}
t "parent unload with devices present" unload_with_devices
