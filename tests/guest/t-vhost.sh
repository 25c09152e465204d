# SPDX-License-Identifier: GPL-2.0
# vhost mode: vhost_vdpa's /dev/vhost-vdpa-N driven by the suite's user-space
# vhost-vdpa driver (tools/vhost_loop) over vdpasim_net (the suite's, or
# upstream's when t-upsim.sh runs this file again: lib.sh, SIM).

VDPA=$VDPA_TOOL

# The device node: root only, and bound to vhost_vdpa on demand.
vhost_node() {
	sim_load
	sim_add vh0 mode vhost
	$VDPA -d dev show vh0 | grep -q 'mode vhost driver vhost_vdpa'
	cdev=$(chardev_of vh0)
	[ -c "$cdev" ]
	assert_eq "crw-------" "$(stat -c %A "$cdev")" "permissions"
	expect_fail -m 'Permission denied' setpriv --reuid=65534 --regid=65534 \
		--clear-groups $VLOOP -d "$cdev" -n 1
	$VDPA dev del vh0
}
t "vhost mode: /dev/vhost-vdpa-N, root only, vhost_vdpa loaded on demand" vhost_node

# 100,000 frames of mixed sizes through IOTLB-mapped (batched) memory,
# each back exactly once, in order, intact; then four queue pairs (a
# client thread and a device work item each), once more with the client
# threads pinned and, where the kernel has affinity scopes (6.5+), each
# pair's work on the CPU that kicked it. Upstream's simulator has one
# queue pair and a kthread worker.
vhost_loop_frames() {
	local wq=/sys/devices/virtual/workqueue/vdpa_sim scope=
	sim_load
	sim_add vh1 mode vhost
	$VLOOP -d "$(chardev_of vh1)" -n 100000 -s 60:1514
	$VDPA dev del vh1
	suite_sim || return 0
	sim_add vh2 mode vhost max_vqp 4
	$VLOOP -d "$(chardev_of vh2)" -n 40000 -s 60:1514 -q 4
	[ -e $wq/affinity_scope ] && scope=$(cat $wq/affinity_scope) &&
		echo cpu > $wq/affinity_scope
	$VLOOP -a -d "$(chardev_of vh2)" -n 40000 -s 60:1514 -q 4
	[ -z "$scope" ] || echo "${scope%% *}" > $wq/affinity_scope
	$VDPA dev del vh2
}
t "vhost mode: 100,000 frames through the user-space driver, and 4 queue pairs" vhost_loop_frames

# Bad input to the device: each gets its errno, the host stays clean.
# Upstream's simulator: no memlock (it reads the owner's memory by user
# address and pins nothing, so RLIMIT_MEMLOCK has nothing to refuse),
# no unmapped-ring and no batch-atomic (both see the device fail through
# NEEDS_RESET; on a ring it cannot read upstream's counts an error and
# stops: the spec allows either).
vhost_bad_input() {
	local own=
	sim_load
	sim_add vh3 mode vhost
	cdev=$(chardev_of vh3)
	suite_sim && own="memlock unmapped-ring batch-atomic"
	for c in overlap zero-size wrap out-of-range bad-type bad-perm bad-asid \
		 short-write partial-invalidate no-owner second-open \
		 vring-running $own; do
		$VLOOP -d "$cdev" -x $c
	done
	# the device is still usable
	$VLOOP -d "$cdev" -n 1000 -s 60:1514
	$VDPA dev del vh3
}
t "vhost mode: bad IOTLB messages and ioctls get the right errno" vhost_bad_input

# A driver killed mid-traffic: the device is reset, its pages unpinned,
# and it works again. (Upstream's simulator pins nothing.)
vhost_sigkill() {
	sim_load
	sim_add vh4 mode vhost
	cdev=$(chardev_of vh4)
	before=$(pins)
	$VLOOP -d "$cdev" -n 100000000 -s 60:1514 -t 60 >/dev/null 2>&1 &
	pid=$!
	sleep 3
	# it is running, with its memory pinned
	$VDPA dev vstats show vh4 qidx 1
	during=$(pins)
	kill -KILL $pid
	wait $pid || true
	# the driver pins hundreds of pages, and must leave none behind: the
	# exact baseline (its file is released when it exits; a second for
	# anything the kernel defers)
	for i in 1 2 3 4 5; do
		now=$(pins)
		[ "$now" = "$before" ] && break
		sleep 1
	done
	echo "pinned pages: $before before, $during while running, $now after the kill"
	if suite_sim; then
		[ $((during - before)) -gt 100 ]
	fi
	assert_eq "$before" "$now" "pinned pages after the kill"
	# reset: no features negotiated any more
	expect_fail -m 'feature negotiation is not complete' $VDPA dev vstats show vh4 qidx 1
	$VLOOP -d "$cdev" -n 1000 -s 60:1514
	$VDPA dev del vh4
}
t "vhost mode: SIGKILL mid-traffic leaves the device reset and reusable" vhost_sigkill

# Dirty page logging, beyond upstream: what a VMM needs to migrate a guest
# with the datapath left in the device. vhost_loop, as a VMM would, turns
# the log on with the queues running: it must mark exactly the pages the
# device wrote (none missing, none it only read), grow with a mapping
# added past it, mark nothing once turned off, and leave no page pinned.
# Upstream's simulator logs nothing.
vhost_dirty_log() {
	sim_load
	sim_add vh5 mode vhost
	cdev=$(chardev_of vh5)
	before=$(pins)
	$VLOOP -d "$cdev" -x dirty-log
	pins_back "$before" "after the logged run"
	$VDPA dev del vh5
}
t_suite_sim "vhost mode: the dirty page log marks exactly the pages the device wrote" vhost_dirty_log

# The data queues enabled after DRIVER_OK (VHOST_BACKEND_F_ENABLE_AFTER_
# DRIVER_OK), as QEMU restores a migrated device: the control queue sets
# the queue pairs first, then both pairs start and carry every frame.
# (t-pci: a parent that cannot, vdpa_pci, does not offer the bit.)
# Upstream's simulator offers it, with one queue pair.
vhost_enable_after_driver_ok() {
	local q=1 mq=()
	suite_sim && q=2 mq=(max_vqp 2)
	sim_load
	sim_add vh6 mode vhost "${mq[@]}"
	$VLOOP -E -d "$(chardev_of vh6)" -n 4000 -s 60:1514 -q "$q"
	$VDPA dev del vh6
}
t "vhost mode: data queues enabled after DRIVER_OK carry frames (ENABLE_AFTER_DRIVER_OK)" vhost_enable_after_driver_ok
