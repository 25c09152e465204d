# SPDX-License-Identifier: GPL-2.0
# The suite's vhost and virtio tests (t-vhost.sh, t-sim.sh) once more, on
# upstream Linux's own vdpa_sim_net (built for this kernel by
# tests/vm/build-upstream-parents) in place of the suite's simulator:
# upstream's parent on the suite's core, vhost_vdpa and virtio_vdpa, as
# a distribution kernel's parents would run on them. The tests that need
# what only the suite's simulator has (more than one queue pair, frames
# over a page, pinned memory, the dirty log) are left out, and each
# file says where; the names of these tests start with "upstream's".

why=$(up_skip)
# On sid (7.2) upstream's simulator lost frames now and then (it drops
# what its receive ring has no buffer for, where the suite's waits): in
# session 13, 7 of 100,000 and 1 of 1,000 in one run of three; with at
# most 32 in flight, the next run failed its add/traffic/del cycles
# (their output is not kept); never on 6.12. Until that is understood,
# sid runs only t-upstream's shorter checks on it.
# Then, in session 14's CI, on 6.12 too: 1 of 100,000. So not in a
# default make check, whose runs must not fail on another simulator's
# losses: VDPA_UPSIM=1 make check KERNELS=6.12 TESTS=t-upsim runs it.
[ -n "$why" ] || [ "${VDPA_KERNEL:-}" != sid ] ||
	why="upstream's simulator drops frames under sid's virtio_net now and then (see t-upsim.sh)"
[ -n "$why" ] || [ "${VDPA_UPSIM:-0}" = 1 ] ||
	why="not by default: upstream's simulator drops a frame now and then (VDPA_UPSIM=1 runs it; see t-upsim.sh)"
if [ -n "$why" ]; then
	echo "# t-upsim: not on this kernel: $why"
else
	SIM=upstream
	T_PREFIX="upstream's vdpa_sim_net: "
	# it reads the driver's memory by user address (use_va, its
	# default), through the file and offset vhost_vdpa gives it: only
	# shared memory, as QEMU's memory-backend-memfd,share=on; and it
	# drops what its receive ring has no room for: at most 32 frames in
	# flight, as t-sim's pktloop there
	VLOOP_SUITE=$VLOOP
	VLOOP="$VLOOP -m -w 32"
	. "$VDPA_TOP/tests/guest/t-vhost.sh"
	. "$VDPA_TOP/tests/guest/t-sim.sh"
	SIM=suite
	T_PREFIX=
	VLOOP=$VLOOP_SUITE
	# unload_suite took upstream's vdpa_sim_net and vdpa_sim (the
	# suite's names); vringh is upstream's alone
	loaded vringh
	[ ${#LOADED[@]} = 0 ] || rmmod vringh
fi
