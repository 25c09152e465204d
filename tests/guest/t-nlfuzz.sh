# SPDX-License-Identifier: GPL-2.0
# Hostile netlink: tools/nlfuzz sends the family "vdpa" malformed and
# random messages (every command, bad lengths, garbage and nested
# attributes, lying headers) with valid dev add/del/set and dumps mixed
# in, from this run's seed. It fails on a message left unanswered, a
# dump that never ends, an answer that does not fit the request, and
# unprivileged, on any administrative command that is not refused with
# EPERM; the kernel log is checked by the harness as always.

VDPA=$VDPA_TOOL
NLFUZZ=$VDPA_TOP/tools/nlfuzz/nlfuzz

# messages per run, root and unprivileged: 100,000 in all on the debug
# kernel (which finds the most, and is several times slower), 40,000
# elsewhere
nlfuzz_count() {	# nlfuzz_count root|user
	case $1 in
	root)	on_debug 20000 60000 ;;
	*)	on_debug 20000 40000 ;;
	esac
}

# the fuzzer's devices added and deleted: "A/D devices added/deleted"
nlfuzz_devices() {
	sed -n 's/.* \([0-9]*\/[0-9]*\) devices added\/deleted.*/\1/p' <<<"$1"
}

# Devices without a mode are vhost devices here: a virtio device gets a
# virtio_net netdev, whose setup and teardown cost ten times as much
# (tens of ms each under TCG), and the fuzz makes hundreds. Those asked
# for in virtio mode get one, so that vstats (it needs the features
# negotiated) has devices to report on.
nlfuzz_modules() {
	modprobe vdpa default_mode=vhost
	modprobe vdpa_sim_net
	modprobe vhost_vdpa
	modprobe virtio_vdpa
	modprobe virtio_net
}

# As root, with fz0..fz3 added, changed and deleted under the fuzz: the
# fuzzer leaves no device behind, and the management plane still works.
nlfuzz_root() {
	local n out dev t0=$SECONDS
	n=$(nlfuzz_count root)
	nlfuzz_modules
	out=$($NLFUZZ -s "$VDPA_SEED" -n "$n")
	echo "$out ($((SECONDS - t0)) s)"
	dev=$(nlfuzz_devices "$out")
	# devices did come and go
	[ "${dev%/*}" -gt 0 ] && [ "${dev#*/}" -gt 0 ]
	assert_eq "" "$($VDPA dev show | grep -E '^fz' || true)" "fz devices left"
	$VDPA dev add name nlf0 mgmtdev vdpasim_net mac 02:00:00:00:4e:46 mode virtio
	$VDPA -d dev show nlf0 | grep -q '^nlf0: .*mgmtdev vdpasim_net .*mode virtio driver virtio_vdpa'
	$VDPA dev config show nlf0 | grep -q 'mac 02:00:00:00:4e:46'
	$VDPA dev del nlf0
	expect_fail -m 'no such' $VDPA dev show nlf0
	report nl-root "$n" "netlink messages fuzzed, as root"
}
t "netlink fuzz as root: devices come and go, nothing left behind" nlfuzz_root

# As uid 65534, with devices of its own names present: every change is
# refused with EPERM, and no device appears, vanishes or changes.
nlfuzz_user() {
	local n out before after t0=$SECONDS
	n=$(nlfuzz_count user)
	nlfuzz_modules
	$VDPA dev add name fz1 mgmtdev vdpasim_net mac 02:00:00:00:4e:31 mode virtio
	$VDPA dev add name nlu0 mgmtdev vdpasim_net mode vhost
	before=$($VDPA dev show; $VDPA dev config show)
	grep -q '^fz1:' <<<"$before"
	out=$($NLFUZZ -u -s "$((VDPA_SEED + 1))" -n "$n")
	echo "$out ($((SECONDS - t0)) s)"
	after=$($VDPA dev show; $VDPA dev config show)
	assert_eq "$before" "$after" "devices before and after"
	assert_eq "0/0" "$(nlfuzz_devices "$out")" "devices added/deleted"
	$VDPA dev del fz1
	$VDPA dev del nlu0
	report nl-user "$n" "netlink messages fuzzed, unprivileged"
}
t "netlink fuzz unprivileged: every change refused with EPERM, nothing changed" nlfuzz_user
