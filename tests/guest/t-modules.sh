# SPDX-License-Identifier: GPL-2.0
# Module installation and load/unload cycles.

# depmod resolves the suite's modules, installed by DKMS under updates/,
# ahead of any in-tree module of the same name.
modules_resolve_to_suite() {
	for m in vdpa virtio_vdpa vhost_vdpa vdpa_sim vdpa_sim_net; do
		path=$(modinfo -n "$m")
		echo "$m -> $path"
		[[ $path == */updates/dkms/* ]]
		modinfo -F version "$m" | grep -q .
	done
}
t "modinfo resolves the suite's modules" modules_resolve_to_suite

# Ten load/unload cycles of the core (four on the debug kernel); the
# kernel log check at the end of the run covers what they print.
core_load_cycles() {
	unload_suite
	for i in $(seq "$(on_debug 10 4)"); do
		modprobe vdpa
		grep -q '^vdpa ' /proc/modules
		rmmod vdpa
		refute grep -q '^vdpa ' /proc/modules
	done
}
t "modprobe/rmmod vdpa ten times (four on debug)" core_load_cycles
