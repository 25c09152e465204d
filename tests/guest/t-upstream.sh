# SPDX-License-Identifier: GPL-2.0
# Upstream Linux's own vDPA parents on the suite's core: built from
# Debian's linux-source of the running kernel against its headers and
# their Module.symvers (tests/vm/build-upstream-parents: 6.12, sid and
# the debug build of 6.12), as a distribution builds them against its
# own vdpa.ko, they load on the suite's (same symbols, same
# modversions), and upstream's vp_vdpa and vdpa_sim_net carry checked
# frames through the suite's virtio_vdpa and vhost_vdpa. 6.1 has no vDPA
# core for them to be built against.

# the PF of the --pci machine, not the plain function: t-pci unplugs that
FN=0000:02:00.0
UP_PKTLOOP=$VDPA_TOP/tools/pktloop/pktloop

# up_clean: upstream's modules out again (the suite's vdpa_sim and
# vdpa_sim_net have the same names; unload_suite takes those)
up_clean() {
	local m
	for m in vp_vdpa ifcvf mlx5_vdpa eni_vdpa snet_vdpa octep_vdpa pds_vdpa pds_core vdpa_sim_net vdpa_sim vringh; do
		! grep -q "^$m " /proc/modules || rmmod "$m"
	done
}

# Every parent built for this kernel loads, with no "disagrees about
# version" or "Unknown symbol", against the suite's vdpa.ko (and the
# kernel's mlx5_core; pds_core is built with them, Debian has none)
up_load() {
	local log m mods=() parents=()
	trap up_clean EXIT
	# in load order: what a parent needs before it
	for m in vringh pds_core vp_vdpa ifcvf mlx5_vdpa eni_vdpa snet_vdpa octep_vdpa pds_vdpa vdpa_sim vdpa_sim_net; do
		[ ! -f "$UP/$m.ko" ] || mods+=("$m")
	done
	parents=($(printf '%s\n' "${mods[@]}" | grep -Evx 'vringh|pds_core|vdpa_sim'))
	# all eight; six on the debug kernel (no mlx5_core, no pds_core)
	assert_eq "$(on_debug 8 6)" "${#parents[@]}" "parents built (${parents[*]})"
	modprobe vdpa
	modprobe vhost_iotlb
	[ ! -f "$UP/mlx5_vdpa.ko" ] || modprobe mlx5_core
	log=$(dmesg | wc -l)
	up_insmod "${mods[@]}"
	refute grep -Eq 'disagrees about version|Unknown symbol' <(dmesg | tail -n +"$log")
	loaded "${parents[@]}"
	assert_eq "${parents[*]}" "${LOADED[*]}" "upstream parents loaded"
	# the suite's core is the one they use
	[ "$(modinfo -F vdpa_api vdpa)" = kernel ]
	$VDPA_TOOL mgmtdev show vdpasim_net | grep -q 'supported_classes net'
	up_clean
	trap - EXIT
	! grep -q '^mlx5_core ' /proc/modules || modprobe -r mlx5_core
}

# upstream's vp_vdpa drives a virtio-net function of the --pci machine:
# checked frames through the suite's virtio_vdpa, then vhost_vdpa
up_vp_vdpa() {
	local nd cdev d
	test_function $FN
	trap up_vp_release EXIT
	modprobe vdpa
	modprobe virtio_net
	up_insmod vp_vdpa
	echo vp-vdpa > /sys/bus/pci/devices/$FN/driver_override
	[ ! -e /sys/bus/pci/devices/$FN/driver ] || echo $FN > /sys/bus/pci/devices/$FN/driver/unbind
	echo $FN > /sys/bus/pci/drivers_probe
	wait_for $VDPA_TOOL mgmtdev show pci/$FN
	$VDPA_TOOL dev add name up0 mgmtdev pci/$FN mode virtio
	$VDPA_TOOL -d dev show up0 | grep -q 'mode virtio driver virtio_vdpa'
	for d in /sys/bus/pci/devices/$FN/virtio*/net/*; do nd=$(basename "$d"); done
	sysctl -qw "net.ipv6.conf.$nd.disable_ipv6=1"
	ip link set "$nd" up
	$UP_PKTLOOP -i "$nd" -n "$(on_debug 5000 1000)" -s 60:1514 -w 64
	$VDPA_TOOL dev del up0
	$VDPA_TOOL dev add name up1 mgmtdev pci/$FN mode vhost
	cdev=$(chardev_of up1)
	$VLOOP -d "$cdev" -n 5000 -s 60:1514 -w 64
	$VDPA_TOOL dev del up1
}

# the function back to virtio-pci, whatever the test left
up_vp_release() {
	local d
	for d in $(ls /sys/bus/vdpa/devices); do $VDPA_TOOL dev del "$d" || :; done
	echo > /sys/bus/pci/devices/$FN/driver_override
	[ ! -e /sys/bus/pci/devices/$FN/driver ] || echo $FN > /sys/bus/pci/devices/$FN/driver/unbind
	echo $FN > /sys/bus/pci/drivers_probe
	up_clean
}

# upstream's simulator on the suite's core: checked frames in each mode
up_sim() {
	local nd d before
	trap up_clean EXIT
	modprobe vdpa
	modprobe vhost_iotlb
	modprobe virtio_net
	up_insmod vringh vdpa_sim vdpa_sim_net
	# upstream's simulator has no MAC unless given one
	$VDPA_TOOL dev add name us0 mgmtdev vdpasim_net mode virtio mac 02:00:00:00:75:01
	for d in /sys/bus/vdpa/devices/us0/virtio*/net/*; do nd=$(basename "$d"); done
	sysctl -qw "net.ipv6.conf.$nd.disable_ipv6=1"
	ip link set "$nd" up
	# upstream's simulator names its counters its own way
	before=$(vstat us0 1 "tx packets")
	SIM=upstream sim_pktloop us0 5000 -i "$nd" -s 60:1514
	# the suite's management plane on upstream's parent: its counters,
	# its config and a MAC set through `dev set`
	assert_eq 5000 "$(( $(vstat us0 1 "tx packets") - before ))" "TX frames upstream's simulator counted"
	$VDPA_TOOL dev config show us0 | grep -q 'mac 02:00:00:00:75:01 '
	$VDPA_TOOL dev set name us0 mac 02:00:00:00:75:03
	$VDPA_TOOL dev config show us0 | grep -q 'mac 02:00:00:00:75:03 '
	$VDPA_TOOL dev del us0
	$VDPA_TOOL dev add name us1 mgmtdev vdpasim_net mode vhost mac 02:00:00:00:75:02
	# it reads the user's memory itself (use_va, its default): through the
	# owner's address space (bind_mm) and only shared memory (-m), which
	# vhost_vdpa hands it by file and offset, as upstream
	$VLOOP -m -d "$(chardev_of us1)" -n 5000 -s 60:1514 -w 32
	$VDPA_TOOL dev del us1
}

why=$(up_skip)
if [ -n "$why" ]; then
	echo "# t-upstream: not on this kernel: $why"
else
	t "upstream's parents (vp_vdpa, ifcvf, mlx5_vdpa, eni_vdpa, snet_vdpa, octep_vdpa, pds_vdpa, vdpa_sim_net; the debug kernel has no mlx5_core or pds_core) load on the suite's core" up_load
	t "upstream's vp_vdpa: a virtio-net function's frames through the suite's virtio_vdpa and vhost_vdpa" up_vp_vdpa
	t "upstream's vdpa_sim_net: frames through the suite's virtio_vdpa and vhost_vdpa" up_sim
fi
