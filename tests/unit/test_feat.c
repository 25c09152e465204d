// SPDX-License-Identifier: GPL-2.0
/*
 * Feature and class names: the network names, the transport names every
 * type shares, and the bits without a name (printed as bit_N or N).
 */
#include <linux/virtio_ids.h>

#include "feat.h"
#include "tap.h"

static void name(unsigned int bit, uint32_t dev_id, const char *want)
{
	const char *got = feat_name(bit, dev_id);

	tap_str(got ? got : "(none)", want, "bit %u of type %u is %s", bit,
		dev_id, want);
}

static void test_net(void)
{
	static const char *const names[64] = {
		[0] = "CSUM", [1] = "GUEST_CSUM", [2] = "CTRL_GUEST_OFFLOADS",
		[3] = "MTU", [5] = "MAC", [7] = "GUEST_TSO4",
		[8] = "GUEST_TSO6", [9] = "GUEST_ECN", [10] = "GUEST_UFO",
		[11] = "HOST_TSO4", [12] = "HOST_TSO6", [13] = "HOST_ECN",
		[14] = "HOST_UFO", [15] = "MRG_RXBUF", [16] = "STATUS",
		[17] = "CTRL_VQ", [18] = "CTRL_RX", [19] = "CTRL_VLAN",
		[20] = "CTRL_RX_EXTRA", [21] = "GUEST_ANNOUNCE", [22] = "MQ",
		[23] = "CTRL_MAC_ADDR", [24] = "NOTIFY_ON_EMPTY",
		[27] = "ANY_LAYOUT", [28] = "RING_INDIRECT_DESC",
		[29] = "RING_EVENT_IDX", [32] = "VERSION_1",
		[33] = "ACCESS_PLATFORM", [34] = "RING_PACKED",
		[35] = "IN_ORDER", [36] = "ORDER_PLATFORM", [37] = "SR_IOV",
		[38] = "NOTIFICATION_DATA", [57] = "HASH_REPORT", [60] = "RSS",
		[61] = "RSC_EXT", [62] = "STANDBY", [63] = "SPEED_DUPLEX",
	};
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		name(bit, VIRTIO_ID_NET, names[bit] ? names[bit] : "(none)");
	name(64, VIRTIO_ID_NET, "(none)");
}

static void test_other_types(void)
{
	name(32, VIRTIO_ID_BLOCK, "VERSION_1");
	name(28, 0, "RING_INDIRECT_DESC");
	name(5, VIRTIO_ID_BLOCK, "(none)");
	name(24, VIRTIO_ID_BLOCK, "(none)");
	name(27, 0, "(none)");
	name(63, VIRTIO_ID_BLOCK, "(none)");
}

static void test_classes(void)
{
	tap_str(feat_class_name(VIRTIO_ID_NET), "net", "class 1 is net");
	tap_str(feat_class_name(VIRTIO_ID_BLOCK), "block", "class 2 is block");
	tap_str(feat_class_name(5), "< unknown class >", "class 5 is unknown");
	tap_str(feat_type_name(VIRTIO_ID_NET), "network", "type 1: network");
	tap_str(feat_type_name(VIRTIO_ID_BLOCK), "block", "type 2: block");
	tap_str(feat_type_name(0), "<unknown type>", "type 0: unknown");
}

int main(void)
{
	test_net();
	test_other_types();
	test_classes();
	return tap_end();
}
