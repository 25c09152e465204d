# SPDX-License-Identifier: GPL-2.0
# vhost mode, the user-space driver as an adversary: tools/vhost_loop -x
# CASE (tools/vhost_loop/rings.c) hands a running vdpasim_net device one
# hostile or odd split ring, or control command, and reports what the
# device made of it; then it resets the device (status 0) and loops 64
# frames to prove it usable. Each case's outcome is the one the virtio
# spec allows, written out below:
#   needs-reset  the device set NEEDS_RESET (the driver broke a MUST)
#   dropped      the TX chain came back used, nothing arrived on RX
#   looped       legal but odd: the frames came back intact
#   ack-ok/-err  the control command was answered VIRTIO_NET_OK / _ERR
#   refused      vhost_vdpa refused the ring address (EINVAL)

VDPA=$VDPA_TOOL

# pins: pages pinned with FOLL_PIN and not yet released, system-wide;
# the per-CPU vmstat differences are folded in first, so it is exact
pins() {
	echo 1 > /proc/sys/vm/stat_refresh
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
	     END { print a - r }' /proc/vmstat
}

RING_CASES="
desc-loop		needs-reset
next-range		needs-reset
head-range		needs-reset
avail-jump		needs-reset
avail-full		looped
chain-full		looped
chain-too-long		needs-reset
indirect-full		looped
indirect-ok		looped
indirect-nested		needs-reset
indirect-next		needs-reset
indirect-len-odd	needs-reset
indirect-len-zero	needs-reset
indirect-len-huge	needs-reset
indirect-unmapped	needs-reset
indirect-loop		needs-reset
indirect-unneg		needs-reset
buf-wrap		needs-reset
tx-zero-desc		looped
tx-empty		dropped
tx-short		dropped
tx-huge			dropped
tx-writable		needs-reset
tx-hdr-junk		looped
straddle-tx		looped
straddle-rx		looped
tx-past-mapping		needs-reset
rx-past-mapping		needs-reset
used-readonly		needs-reset
rx-zero			dropped
rx-small		dropped
rx-short		dropped
rx-zero-mrg		needs-reset
rx-small-mrg		needs-reset
rx-readonly		needs-reset
rx-mrg-tiny		looped
rx-len-huge		looped
rx-4g			needs-reset
tx-len-huge		dropped
tx-order		needs-reset
avail-back		needs-reset
ring-straddle		looped
ring-misaligned		refused
ring-past-mapping	needs-reset
tx-hdr-split		looped
rx-hdr-split		looped
ring-shrink		needs-reset
asid-switch		needs-reset
"

CVQ_CASES="
cvq-ok			ack-ok
cvq-split		ack-ok
cvq-short		ack-err
cvq-short-mac		ack-err
cvq-huge		ack-ok
cvq-4g			needs-reset
cvq-bad-class		ack-err
cvq-bad-cmd		ack-err
cvq-no-ack		needs-reset
cvq-ack-ro		needs-reset
cvq-ack-ro-map		needs-reset
cvq-ack-zero		needs-reset
cvq-unmapped		needs-reset
cvq-flood		ack-ok
"

# ring_case CDEV CASE WANT: the case ends as WANT, and the device loops
# frames again after the reset
ring_case() {
	local out rc=0 got
	out=$($VLOOP -d "$1" -S "$VDPA_SEED" -x "$2" 2>&1) || rc=$?
	got=$(sed -n "s/^$2 outcome=\([a-z-]*\) .*/\1/p" <<<"$out")
	if [ "$got" != "$3" ] || [ $rc != 0 ] ||
	   ! grep -q '^after reset: 64 frames looped$' <<<"$out"; then
		echo "case $2: want $3, got '${got:-nothing}' (exit $rc):"
		echo "$out"
		return 1
	fi
	echo "$2: $got"
}

# run_cases NAME CASES KEY TEXT: every case of CASES on a fresh device,
# then no page left pinned and 1,000 frames intact
run_cases() {
	local name=$1 cases=$2 c want n=0 before now cdev i
	modprobe vdpa
	# indirect descriptors are not offered unless asked for (vdpa_sim_net.c)
	$VDPA dev add name "$name" mgmtdev vdpasim_net mode vhost device_features 0x338c78028
	cdev=$(chardev_of "$name")
	# the table covers exactly the cases the tool has of this kind
	assert_eq "$(awk 'NF { print $1 }' <<<"$cases" | sort)" \
		"$($VLOOP -d "$cdev" -x list | tr ' ' '\n' |
		   sed '1,/^unmapped-buffer$/d' | grep -E "$5" | sort)" \
		"the cases of $3"
	before=$(pins)
	while read -r c want; do
		[ -n "$c" ] || continue
		ring_case "$cdev" "$c" "$want"
		n=$((n + 1))
	done <<<"$cases"
	# every case's process has exited: its pins must all be gone
	pins_back "$before" "after $n cases"
	$VLOOP -d "$cdev" -n 1000 -s 60:1514
	$VDPA dev del "$name"
	report "$3" "$n" "$4"
}

ring_cases() {
	run_cases rg0 "$RING_CASES" ring-cases \
		"malicious ring cases (vhost mode)" '^[^c]|^c[^v]'
}
t "vhost mode: hostile split rings and buffers: NEEDS_RESET, dropped or looped, then usable" ring_cases

cvq_cases() {
	run_cases rg1 "$CVQ_CASES" cvq-cases \
		"malicious control-queue cases (vhost mode)" '^cvq-'
}
t "vhost mode: hostile control-queue commands and a flood: acked or NEEDS_RESET, then usable" cvq_cases
