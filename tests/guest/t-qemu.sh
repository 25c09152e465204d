# SPDX-License-Identifier: GPL-2.0
# QEMU end to end: a vhost-mode device backs -netdev vhost-vdpa of a tiny
# inner guest (tests/vm/nested), whose virtio_net interface must carry the
# MAC given at `vdpa dev add` and get its frames back intact.

qemu_vhost_vdpa() {
	local out cdev
	modprobe vdpa
	$VDPA_TOOL dev add name qv0 mgmtdev vdpasim_net mode vhost \
		mac 02:00:00:00:00:42
	cdev=$(chardev_of qv0)
	out=$("$VDPA_TOP/tests/vm/nested" -d "$cdev" -n 1000) ||
		{ echo "$out"; return 1; }
	echo "$out"
	grep -q '^inner: mac 02:00:00:00:00:42$' <<<"$out"
	grep -q '^inner: sent 1000 received 1000 corrupt 0 out_of_order 0 ' <<<"$out"
	grep -q '^inner: rx_packets 1000$' <<<"$out"
	# QEMU is gone: the device was reset and serves the next driver
	$VLOOP -d "$cdev" -n 1000 -s 60:1514
	$VDPA_TOOL dev del qv0
}
# Not on the debug kernel: TCG inside TCG crashes the inner kernel in
# early boot now and then, and the debug kernel makes the inner boot so
# slow that the crash came several boots in a row there. It is the
# emulator's, not the suite's: with tests/vm/inner-boots on 6.12, beside
# the 6.12-debug guest (as in CI), an inner guest with no NIC at all died
# before its init in 1 of 5 boots (RIP in text_poke_early, the kernel
# patching its own code); with the vhost-vdpa device, 0 of 5 (-cpu max)
# and 0 of 5 (la57=off); on 6.12-debug, no NIC: 1 of 4 died, and with
# the device the first boot died (corrupt slab, as in CI); and make
# demo's inner guest, with the device, died the same way once on 6.12
# while the debug kernel was building.
# vhost-vdpa under KASAN and lockdep is exercised on the debug kernel by
# t-vhost (the suite's user-space driver) and t-pci; the inner guest runs
# on every other kernel of the matrix, where nested retries a crash
# before the inner init.
#
# The inner boot is a third of a plain kernel's time in make check (three
# to five minutes beside another guest), so it runs on one kernel of the
# matrix: 6.1, Debian 12's own, the first user's. The QEMU is the same
# (Debian 12's 7.2) on every kernel; what differs by kernel, vhost_vdpa's
# uAPI under a driver, t-vhost drives on every kernel, and on 6.12 make
# demo boots this same inner guest (tests/fresh, every full run).
case $(uname -r) in
*-debug) echo "# t-qemu: inner guest not booted on a debug kernel (TCG inside TCG crashes in early boot, with or without the device, and the debug kernel makes it come often: see t-qemu.sh)" ;;
*)	if [ "${VDPA_KERNEL:-}" = 6.1 ]; then
		t "QEMU -netdev vhost-vdpa: inner guest gets the device's MAC, 1000 frames back intact" qemu_vhost_vdpa
	else
		echo "# t-qemu: on 6.1 only (the inner boot is a third of a kernel's time; see t-qemu.sh)"
	fi ;;
esac
