// SPDX-License-Identifier: GPL-2.0
/*
 * Feature bit names. The set of names, and which bits are looked up in
 * which table, follow iproute2's vdpa so that both tools print the same
 * words: bits 28 to 41 are the transport's, all others belong to the
 * device type (only network devices have names for them).
 */
#include <stddef.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "feat.h"

#define FEAT_TRANSPORT_FIRST	28
#define FEAT_TRANSPORT_LAST	41

#ifndef VIRTIO_F_IN_ORDER
#define VIRTIO_F_IN_ORDER	35
#endif
#ifndef VIRTIO_F_ORDER_PLATFORM
#define VIRTIO_F_ORDER_PLATFORM	36
#endif
#ifndef VIRTIO_F_SR_IOV
#define VIRTIO_F_SR_IOV		37
#endif
#ifndef VIRTIO_F_NOTIFICATION_DATA
#define VIRTIO_F_NOTIFICATION_DATA	38
#endif

static const char *const feat_net[64] = {
	[VIRTIO_NET_F_CSUM]		= "CSUM",
	[VIRTIO_NET_F_GUEST_CSUM]	= "GUEST_CSUM",
	[VIRTIO_NET_F_CTRL_GUEST_OFFLOADS] = "CTRL_GUEST_OFFLOADS",
	[VIRTIO_NET_F_MTU]		= "MTU",
	[VIRTIO_NET_F_MAC]		= "MAC",
	[VIRTIO_NET_F_GUEST_TSO4]	= "GUEST_TSO4",
	[VIRTIO_NET_F_GUEST_TSO6]	= "GUEST_TSO6",
	[VIRTIO_NET_F_GUEST_ECN]	= "GUEST_ECN",
	[VIRTIO_NET_F_GUEST_UFO]	= "GUEST_UFO",
	[VIRTIO_NET_F_HOST_TSO4]	= "HOST_TSO4",
	[VIRTIO_NET_F_HOST_TSO6]	= "HOST_TSO6",
	[VIRTIO_NET_F_HOST_ECN]		= "HOST_ECN",
	[VIRTIO_NET_F_HOST_UFO]		= "HOST_UFO",
	[VIRTIO_NET_F_MRG_RXBUF]	= "MRG_RXBUF",
	[VIRTIO_NET_F_STATUS]		= "STATUS",
	[VIRTIO_NET_F_CTRL_VQ]		= "CTRL_VQ",
	[VIRTIO_NET_F_CTRL_RX]		= "CTRL_RX",
	[VIRTIO_NET_F_CTRL_VLAN]	= "CTRL_VLAN",
	[VIRTIO_NET_F_CTRL_RX_EXTRA]	= "CTRL_RX_EXTRA",
	[VIRTIO_NET_F_GUEST_ANNOUNCE]	= "GUEST_ANNOUNCE",
	[VIRTIO_NET_F_MQ]		= "MQ",
	[VIRTIO_NET_F_CTRL_MAC_ADDR]	= "CTRL_MAC_ADDR",
	[VIRTIO_F_NOTIFY_ON_EMPTY]	= "NOTIFY_ON_EMPTY",
	[VIRTIO_F_ANY_LAYOUT]		= "ANY_LAYOUT",
	[VIRTIO_NET_F_HASH_REPORT]	= "HASH_REPORT",
	[VIRTIO_NET_F_RSS]		= "RSS",
	[VIRTIO_NET_F_RSC_EXT]		= "RSC_EXT",
	[VIRTIO_NET_F_STANDBY]		= "STANDBY",
	[VIRTIO_NET_F_SPEED_DUPLEX]	= "SPEED_DUPLEX",
};

static const char *const feat_transport[64] = {
	[VIRTIO_RING_F_INDIRECT_DESC]	= "RING_INDIRECT_DESC",
	[VIRTIO_RING_F_EVENT_IDX]	= "RING_EVENT_IDX",
	[VIRTIO_F_VERSION_1]		= "VERSION_1",
	[VIRTIO_F_ACCESS_PLATFORM]	= "ACCESS_PLATFORM",
	[VIRTIO_F_RING_PACKED]		= "RING_PACKED",
	[VIRTIO_F_IN_ORDER]		= "IN_ORDER",
	[VIRTIO_F_ORDER_PLATFORM]	= "ORDER_PLATFORM",
	[VIRTIO_F_SR_IOV]		= "SR_IOV",
	[VIRTIO_F_NOTIFICATION_DATA]	= "NOTIFICATION_DATA",
};

const char *feat_name(unsigned int bit, uint32_t dev_id)
{
	if (bit >= 64)
		return NULL;
	if (bit >= FEAT_TRANSPORT_FIRST && bit <= FEAT_TRANSPORT_LAST)
		return feat_transport[bit];
	if (dev_id == VIRTIO_ID_NET)
		return feat_net[bit];
	return NULL;
}

const char *feat_class_name(unsigned int dev_id)
{
	switch (dev_id) {
	case VIRTIO_ID_NET:
		return "net";
	case VIRTIO_ID_BLOCK:
		return "block";
	default:
		return "< unknown class >";
	}
}

const char *feat_type_name(uint32_t dev_id)
{
	switch (dev_id) {
	case VIRTIO_ID_NET:
		return "network";
	case VIRTIO_ID_BLOCK:
		return "block";
	default:
		return "<unknown type>";
	}
}
