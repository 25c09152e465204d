# SPDX-License-Identifier: GPL-2.0
# QEMU end to end, and live migration: a tiny inner guest whose only NIC
# is a suite device in vhost mode (-netdev vhost-vdpa) gets the MAC the
# device was given, sets its own through the control queue, and loops
# checked frames; mid-loop, QEMU migrates it to a second QEMU (-incoming)
# on a second device, where the loop must finish with every frame back
# intact and in order. Downtime and total time come from QEMU's
# query-migrate. Three ways to migrate:
#   - Debian 12's QEMU 7.2 with the datapath left in the device: the
#     device's dirty page log (VHOST_F_LOG_ALL, beyond upstream) tells
#     QEMU which pages it wrote. QEMU 7.2 restores no control-queue state
#     this way: the destination's device keeps its own MAC;
#   - QEMU 7.2 with shadow virtqueues (x-svq=on), which restore the MAC;
#     they refuse devices offering features they cannot shadow, which is
#     why vdpasim_net offers neither indirect descriptors nor CTRL_RX
#     unless asked (vdpa_sim_net.c);
#   - sid's QEMU (the newest the project runs) in its default mode, which
#     switches the device to shadow virtqueues when the migration starts.
# Not run by make check unless VDPA_MIGRATE=1 (make check passes it
# on): three migrations take about 13 minutes per kernel, and t-qemu.sh,
# which make check runs, covers the device under QEMU without migration.
# An earlier version of this test saw the destination's inner guest go
# silent or panic in about a third of its runs (two outer guests or more
# on the two cores); since then 17 of 17 migrations finished (6.1, 6.12,
# sid; alone and two guests at once), and a silent destination says
# whether its guest or only its traffic stopped (tests/vm/nested).
#
# The inner guest runs QEMU 7.2's Nehalem CPU (no AVX): QEMU 7.2's TCG
# under the outer guest's TCG crashed inner kernels now and then, with
# register state no CPU can hold (EFLAGS 0x823ec702 in a slab allocator
# crash), migrated or not (t-qemu saw one without migration); a run
# whose inner kernel panics is retried once, with a note. Not on the
# debug kernel: TCG inside TCG crashes the inner
# kernel in early boot now and then, and the debug kernel makes the inner
# boot so slow that the crash came several boots in a row there
# (tests/vm/inner-boots, with or without the device). vhost-vdpa under
# KASAN and lockdep is exercised on the debug kernel by t-vhost (the
# suite's user-space driver) and t-pci.

# migrate_once QEMU [-S]: one migration with QEMU (7.2 or sid)
migrate_once() {
	local qv=$1 out a b lost label cvq=1 cpu=max
	shift
	label="QEMU $qv${1:+ x-svq}"
	# QEMU 7.2 restores the control queue's state (the MAC the guest
	# set) only through shadow virtqueues
	[ "$qv" = 7.2 ] && [ "${1:-}" != -S ] && cvq=0 label="QEMU 7.2, dirty log"
	[ "$qv" = 7.2 ] && cpu=Nehalem
	modprobe vdpa
	$VDPA_TOOL dev add name mg0 mgmtdev vdpasim_net mode vhost mac 02:00:00:00:00:42
	$VDPA_TOOL dev add name mg1 mgmtdev vdpasim_net mode vhost mac 02:00:00:00:00:43
	a=$(chardev_of mg0) b=$(chardev_of mg1)
	out=$("$VDPA_TOP/tests/vm/nested" -d "$a" -m "$b" -Q "$qv" "$@" -c "$cpu" \
		-M 02:00:00:00:00:99 -n 6000) || {
		echo "$out"
		$VDPA_TOOL dev del mg0
		$VDPA_TOOL dev del mg1
		grep -q 'Kernel panic' <<<"$out" && return 2
		return 1
	}
	echo "$out"
	grep -q '^nested: migration completed ' <<<"$out"
	# the inner guest had the device's MAC, then set its own and looped
	grep -q '^source: inner: mac 02:00:00:00:00:42$' <<<"$out"
	grep -q '^source: inner: looping with mac 02:00:00:00:00:99$' <<<"$out"
	# it ended on the destination: every frame, intact, in order
	grep -q '^inner: sent 6000 received 6000 corrupt 0 out_of_order 0 ' <<<"$out"
	grep -q '^inner: rx_packets 6000$' <<<"$out"
	grep -q '^inner: result pass$' <<<"$out"
	# QEMU restored the driver's MAC on the destination's device
	[ $cvq = 0 ] || $VDPA_TOOL dev config show mg1 | grep -q 'mac 02:00:00:00:00:99'
	# both devices were reset when their QEMU left, and serve again
	$VLOOP -d "$a" -n 1000 -s 60:1514
	$VLOOP -d "$b" -n 1000 -s 60:1514
	lost=$(sed -n 's/^inner: sent \([0-9]*\) received \([0-9]*\) .*/\1 - \2/p' <<<"$out")
	note "migration, $label: $(sed -n 's/^nested: migration completed total-time \([0-9]*\) downtime \([0-9]*\) .*/downtime \2 ms, total \1 ms/p' <<<"$out"), frames lost $((lost))"
	$VDPA_TOOL dev del mg0
	$VDPA_TOOL dev del mg1
}

# migrate_run QEMU [-S]: a migration, again once if the inner kernel
# panicked (the emulator's, see above)
migrate_run() {
	local rc=0
	migrate_once "$@" || rc=$?
	[ $rc = 2 ] || return $rc
	note "the inner kernel panicked (TCG inside TCG, see t-migrate.sh); migrating once more"
	migrate_once "$@"
}

migrate_72_log() { migrate_run 7.2; }
migrate_72_svq() { migrate_run 7.2 -S; }
migrate_sid() { migrate_run sid; }

case $(uname -r) in
*-debug) echo "# t-migrate: inner guests not booted on a debug kernel (see t-migrate.sh)" ;;
*)	if [ "${VDPA_MIGRATE:-0}" = 1 ]; then
		t "live migration, QEMU 7.2 with the datapath in the device (dirty page log): every frame back on the destination" migrate_72_log
		t "live migration, QEMU 7.2 with shadow virtqueues: every frame back on the destination, the MAC with it" migrate_72_svq
		t "live migration, sid's QEMU: every frame back on the destination, the MAC with it" migrate_sid
	else
		echo "# t-migrate: not run by default (VDPA_MIGRATE=1 make check TESTS=t-migrate runs it; see t-migrate.sh)"
	fi ;;
esac
