# SPDX-License-Identifier: GPL-2.0
# Races: administrators and users doing things at the same time that a
# careless lifecycle would get wrong. Each test ends with the management
# plane working, nothing pinned that was not before, and (the harness)
# a clean kernel log and no leak.

# the PF and its VFs (t-pci unplugs the plain function 01:00.0 before)
RC_PF=0000:02:00.0
RC_VF1=0000:02:00.1
RC_VF2=0000:02:00.2
RC_BIND=$VDPA_TOP/tools/vdpa-pci-bind/vdpa-pci-bind

# the management plane still does its job
rc_plane_works() {
	$VDPA_TOOL dev add name rok mgmtdev vdpasim_net
	$VDPA_TOOL dev show rok
	$VDPA_TOOL dev del rok
}


# Four processes adding and deleting three names in both modes, while a
# fifth dumps devices, their config and the management devices: every
# dump must complete, and afterwards no device, node or module use is
# left but what the survivors hold. Fewer rounds on the debug kernel,
# where a round with virtio_net's probe and removal takes seconds (236 s
# for 40): its checkers see the same interleavings in 15.
races_add_del() {
	local i pids=() rounds n
	rounds=$(on_debug 40 15)
	modprobe vdpa
	modprobe vdpa_sim_net
	for i in 1 2 3 4; do
		(
			for j in $(seq $rounds); do
				n=r$(( (i + j) % 3 ))
				m=vhost; [ $(( (i * j) % 2 )) = 0 ] && m=virtio
				$VDPA_TOOL dev add name $n mgmtdev vdpasim_net mode $m 2>/dev/null || true
				$VDPA_TOOL dev del $n 2>/dev/null || true
			done
		) &
		pids+=($!)
	done
	(
		for j in $(seq $rounds); do
			$VDPA_TOOL -j dev show > /dev/null
			$VDPA_TOOL -j dev config show > /dev/null
			$VDPA_TOOL -j mgmtdev show > /dev/null
		done
	) &
	pids+=($!)
	for i in "${pids[@]}"; do
		wait "$i"
	done
	for n in r0 r1 r2; do
		$VDPA_TOOL dev del $n 2>/dev/null || true
	done
	assert_eq "" "$($VDPA_TOOL dev show)" "devices left"
	assert_eq "" "$(ls /dev/vhost-vdpa-* 2>/dev/null)" "vhost nodes left"
	rc_plane_works
	report race-adddel $((4 * rounds * 2 + rounds * 3)) "overlapping dev add/del from 4 processes, with dumps"
}

# dev del while its vhost node is being opened, driven and mapped: the
# deletion completes, the user gets errors, nothing stays pinned. The
# driver learns that its device is gone when its wait for a used buffer
# times out (-t 2) and its next ioctl fails: the wait is what a round
# costs.
races_del_in_use() {
	local i pid opener cdev before rounds=12
	modprobe vdpa
	before=$(pins)
	for i in $(seq $rounds); do
		$VDPA_TOOL dev add name rd0 mgmtdev vdpasim_net mode vhost
		cdev=$(chardev_of rd0)
		$VLOOP -d "$cdev" -n 100000000 -s 60:1514 -t 2 > /dev/null 2>&1 &
		pid=$!
		# another process keeps opening it (busy while the driver has it)
		python3 - "$cdev" <<-'EOF' &
		import errno, fcntl, os, sys
		while True:
		    try:
		        fd = os.open(sys.argv[1], os.O_RDWR)
		    except OSError as e:
		        if e.errno == errno.EBUSY:
		            continue
		        sys.exit(0)    # the node is gone: done
		    try:
		        fcntl.ioctl(fd, 0x8004af70, b"\0" * 4)   # VHOST_VDPA_GET_DEVICE_ID
		    except OSError:
		        pass
		    os.close(fd)
		EOF
		opener=$!
		sleep 0.$((RANDOM % 10))
		$VDPA_TOOL dev del rd0
		# the driver loses its device and says so
		if wait $pid; then
			echo "round $i: vhost_loop went on without its device"
			return 1
		fi
		wait $opener
	done
	assert_eq "$before" "$(pins)" "pinned pages"
	rc_plane_works
	report race-del-in-use $rounds "dev del of a vhost device in use and being opened"
}

# IOTLB messages from several threads on one file, updates and
# invalidations of overlapping ranges: each gets success or a clean
# error, and the close leaves nothing pinned.
races_iotlb_threads() {
	local before cdev
	modprobe vdpa
	$VDPA_TOOL dev add name ri0 mgmtdev vdpasim_net mode vhost
	cdev=$(chardev_of ri0)
	before=$(pins)
	python3 - "$cdev" <<-'EOF'
	import ctypes, errno, fcntl, mmap, os, struct, sys, threading
	PAGE = 4096
	fd = os.open(sys.argv[1], os.O_RDWR)
	fcntl.ioctl(fd, 0xaf01)                                  # VHOST_SET_OWNER
	fcntl.ioctl(fd, 0x4008af25, struct.pack("Q", 1 << 1))    # backend: MSG_V2
	mem = mmap.mmap(-1, 64 * PAGE)
	base = ctypes.addressof(ctypes.c_char.from_buffer(mem))
	def msg(kind, page, npages):
	    # struct vhost_msg_v2: type, asid, then vhost_iotlb_msg in 64 bytes
	    iotlb = struct.pack("QQQBB", 0x100000 + page * PAGE, npages * PAGE,
	                        base + page * PAGE, 3, kind)
	    return struct.pack("II", 2, 0) + iotlb.ljust(64, b"\0")
	errors = {}
	lock = threading.Lock()
	def worker(t):
	    for k in range(1500):
	        page = (t * 7 + k * 3) % 60
	        for m in (msg(2, page, 1 + k % 4), msg(3, page, 1 + k % 4)):
	            try:
	                os.write(fd, m)
	            except OSError as e:
	                with lock:
	                    errors[e.errno] = errors.get(e.errno, 0) + 1
	threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
	for t in threads: t.start()
	for t in threads: t.join()
	print("errors by errno:", errors)
	# overlaps (EEXIST) and cuts through a mapping (EINVAL) are the races'
	# own doing; anything else is not
	bad = set(errors) - {errno.EEXIST, errno.EINVAL}
	if bad:
	    sys.exit("unexpected errors: %s" % sorted(bad))
	os.close(fd)
	pin = [l for l in open("/proc/self/status") if l.startswith("VmPin:")]
	if pin and pin[0].split()[1] != "0":
	    sys.exit("still pinned after the close: " + pin[0].strip())
	EOF
	assert_eq "$before" "$(pins)" "pinned pages"
	$VLOOP -d "$cdev" -n 1000 -s 60:1514
	$VDPA_TOOL dev del ri0
	report race-iotlb 12000 "IOTLB messages from 4 threads on one file"
}

# Module unload while a vhost file is open and a doorbell mapped: the
# front end cannot go (the file holds it); the parent can, taking the
# device away: the mapping is zapped (a later write is SIGBUS) and the
# file gets errors.
races_unload_in_use() {
	local cdev py rc=0
	test_function $RC_PF
	$RC_BIND $RC_PF
	echo 1 > /sys/bus/pci/devices/$RC_PF/sriov_numvfs
	wait_for $VDPA_TOOL mgmtdev show pci/$RC_VF1
	$VDPA_TOOL dev add name ru0 mgmtdev pci/$RC_VF1 mode vhost
	cdev=$(chardev_of ru0)
	mkfifo /tmp/ru.go
	python3 - "$cdev" <<-'EOF' > /tmp/ru.out 2>&1 &
	import mmap, os, sys
	fd = os.open(sys.argv[1], os.O_RDWR)
	m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_WRITE, offset=0)
	m[0:2] = b"\0\0"
	print("mapped", flush=True)
	open("/tmp/ru.go").read()
	m[0:2] = b"\0\0"    # the device is gone: SIGBUS
	print("wrote to a removed device's doorbell", flush=True)
	EOF
	py=$!
	wait_for grep -q mapped /tmp/ru.out
	refute rmmod vhost_vdpa
	# the parent goes, with the PF's VFs and their devices
	rmmod vdpa_pci
	[ ! -e /sys/bus/pci/devices/$RC_VF1 ]
	echo go > /tmp/ru.go
	wait $py || rc=$?
	cat /tmp/ru.out
	rm -f /tmp/ru.go /tmp/ru.out
	assert_eq 135 "$rc" "exit status of the doorbell writer (SIGBUS is 128 + 7)"
	rmmod vhost_vdpa
	$RC_BIND -u $RC_PF
	rc_plane_works
}

# SR-IOV disabled while both VFs have devices, one of them with traffic
# running: the VFs go, their devices with them, the user sees errors.
races_sriov_in_use() {
	local pid before
	test_function $RC_PF
	before=$(pins)
	$RC_BIND $RC_PF
	echo 2 > /sys/bus/pci/devices/$RC_PF/sriov_numvfs
	wait_for $VDPA_TOOL mgmtdev show pci/$RC_VF2
	$VDPA_TOOL dev add name sv1 mgmtdev pci/$RC_VF1 mode vhost
	$VDPA_TOOL dev add name sv2 mgmtdev pci/$RC_VF2 mode virtio
	$VLOOP -d "$(chardev_of sv1)" -n 100000000 -s 60:1514 -t 5 -w 64 > /dev/null 2>&1 &
	pid=$!
	sleep 1
	echo 0 > /sys/bus/pci/devices/$RC_PF/sriov_numvfs
	if wait $pid; then
		echo "vhost_loop went on without its VF"
		return 1
	fi
	refute $VDPA_TOOL dev show sv1
	refute $VDPA_TOOL dev show sv2
	assert_eq "$before" "$(pins)" "pinned pages"
	$RC_BIND -u $RC_PF
	rc_plane_works
}

t "races: overlapping dev add/del from four processes, with dumps" races_add_del
t "races: dev del of a vhost device being driven and opened" races_del_in_use
t "races: IOTLB messages from four threads on one file" races_iotlb_threads
t "races: unloading modules while a vhost file is open and a doorbell mapped" races_unload_in_use
t "races: SR-IOV disabled while its VFs' devices are in use" races_sriov_in_use
