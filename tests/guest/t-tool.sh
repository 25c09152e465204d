# SPDX-License-Identifier: GPL-2.0
# The suite's tools/vdpa against the kernel, side by side with iproute2.

IPR_OLD=/usr/sbin/vdpa
VDPA=$VDPA_TOOL

tool_setup() {
	no_virtio_net
	modprobe vdpa
	modprobe vdpa_test_parent
}

# same_output IPROUTE2 ARGS...: iproute2 and tools/vdpa both succeed, both
# print something, and print the same bytes (two tools that both fail or
# both print nothing agree on nothing)
same_output() {
	local ipr=$1 a b; shift
	a=$("$ipr" "$@") || { echo "$ipr $* failed"; return 1; }
	b=$($VDPA "$@") || { echo "tools/vdpa $* failed"; return 1; }
	[ -n "$a" ] || { echo "$ipr $* printed nothing"; return 1; }
	diff <(printf '%s\n' "$a") <(printf '%s\n' "$b")
}

# For the same state, iproute2 (6.1 and 6.15) and tools/vdpa print the
# same JSON for mgmtdev show and dev show, and the same text.
same_json_as_iproute2() {
	tool_setup
	$VDPA dev add name j0 mgmtdev vdpa_test mac 02:00:00:00:00:10 mtu 1500 max_vqp 2
	$IPR_OLD dev add name j1 mgmtdev vdpa_test
	for args in "mgmtdev show" "dev show" "dev show j0" "dev config show j0" \
		    "-p dev show"; do
		for ipr in "$IPR_OLD" "$IPR_NEW"; do
			same_output "$ipr" -j $args
			same_output "$ipr" $args
		done
	done
	$VDPA dev del j0
	$VDPA dev del j1
}
t "tools/vdpa prints the same JSON and text as iproute2" same_json_as_iproute2

# The whole life of a device through tools/vdpa.
tool_lifecycle() {
	tool_setup
	$VDPA dev add name t0 mgmtdev vdpa_test mac 02:00:00:00:00:01 mtu 1400 max_vqp 4 mode vhost
	$VDPA dev show t0 | grep -q '^t0: type network mgmtdev vdpa_test'
	$VDPA -d dev show t0 | grep -q 'mode vhost'
	$VDPA -jd dev show t0 | grep -q '"mode":"vhost"'
	$VDPA dev config show t0 | grep -q 'mac 02:00:00:00:00:01 link up .*max_vq_pairs 4 mtu 1400'
	# no driver has negotiated features on the test parent yet
	expect_fail -m 'feature negotiation is not complete' $VDPA dev vstats show t0 qidx 1
	$VDPA dev set name t0 mac 02:00:00:00:00:09
	$VDPA dev config show t0 | grep -q 'mac 02:00:00:00:00:09'
	$VDPA dev add name t1 mgmtdev vdpa_test mode virtio
	$VDPA -d dev show t1 | grep -q 'mode virtio'
	$VDPA dev del t0
	$VDPA dev del t1
	[ -z "$($VDPA dev show)" ]
}
t "tools/vdpa: add with mode, show, config, vstats, set, del" tool_lifecycle

# Each kind of bad input: a clear message, a non-zero exit, nothing made.
tool_errors() {
	tool_setup
	$VDPA dev add name dup mgmtdev vdpa_test
	expect_fail -m '^Error: name: a vdpa device with this name exists' \
		$VDPA dev add name dup mgmtdev vdpa_test
	expect_fail -m '^Error: mgmtdev: no such management device' \
		$VDPA dev add name x mgmtdev nope
	expect_fail -m '^Option "mac": "02:00:00:00:01" is not a MAC address' \
		$VDPA dev add name x mgmtdev vdpa_test mac 02:00:00:00:01
	expect_fail -m '^Option "mtu": "67" is not a number from 68 to 65535' \
		$VDPA dev add name x mgmtdev vdpa_test mtu 67
	expect_fail -m 'mtu: above the device maximum' $VDPA dev add name x mgmtdev vdpa_test mtu 9001
	expect_fail -m '^Option "mode": "bogus" is not a mode' \
		$VDPA dev add name x mgmtdev vdpa_test mode bogus
	expect_fail -m '^Option "name" is mandatory' $VDPA dev add mgmtdev vdpa_test
	# the kernel's own checks behind the tool's
	export VDPA_NO_LOCAL_CHECKS=1
	expect_fail -m 'a MAC address is 6 bytes' $VDPA dev add name x mgmtdev vdpa_test mac 02:00:00:00:01
	expect_fail -m 'mtu: below the virtio-net minimum' $VDPA dev add name x mgmtdev vdpa_test mtu 67
	expect_fail -m 'mode: unknown mode' $VDPA dev add name x mgmtdev vdpa_test mode 7
	unset VDPA_NO_LOCAL_CHECKS
	expect_fail -m 'not permitted' setpriv --reuid=65534 --regid=65534 --clear-groups \
		$VDPA dev add name x mgmtdev vdpa_test
	expect_fail -m 'not permitted' setpriv --reuid=65534 --regid=65534 --clear-groups \
		$VDPA dev del dup
	[ "$($VDPA -j dev show | python3 -S -c 'import json,sys; print(list(json.load(sys.stdin)["dev"]))')" = "['dup']" ]
	$VDPA dev del dup
}
t "tools/vdpa: errors are clear, exit non-zero, create nothing" tool_errors

# Virtio mode binds the device to virtio_vdpa (loaded on demand), which
# puts a virtio device with the vdpa device's id on the virtio bus.
virtio_mode_binds() {
	tool_setup
	rmmod virtio_vdpa 2>/dev/null || true
	$VDPA dev add name vb0 mgmtdev vdpa_test mode virtio
	grep -q '^virtio_vdpa ' /proc/modules
	$VDPA -d dev show vb0 | grep -q 'mode virtio driver virtio_vdpa'
	[ "$(readlink /sys/bus/vdpa/devices/vb0/driver)" != "" ]
	local vdev
	vdev=$(ls /sys/bus/vdpa/devices/vb0/ | grep '^virtio[0-9]')
	assert_eq 0x0001 "$(cat /sys/bus/virtio/devices/$vdev/device)" "virtio device id"
	$VDPA dev del vb0
	[ ! -e "/sys/bus/virtio/devices/$vdev" ]
	rmmod virtio_vdpa
}
t "virtio mode: bound to virtio_vdpa, a virtio device appears" virtio_mode_binds
