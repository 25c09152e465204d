/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Types of the vhost user space API: the arguments of the ioctls in
 * <linux/vhost.h> and the IOTLB messages written to (and read from) a
 * vhost file descriptor.
 *
 * The suite's own rendering of upstream Linux's include/uapi/linux/
 * vhost_types.h: every structure has upstream's layout and every constant
 * upstream's value, as of the newest supported kernel. It is a superset of
 * what every older supported kernel ships, and it carries the same include
 * guard, so whichever copy is included first wins and the other is skipped
 * without conflict; the suite's modules include this one first.
 */
#ifndef _LINUX_VHOST_TYPES_H
#define _LINUX_VHOST_TYPES_H

#include <linux/types.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

/* a number for one virtqueue: its size, its base index, ... */
struct vhost_vring_state {
	unsigned int index;
	unsigned int num;
};

/* a file descriptor for one virtqueue; fd -1 unbinds */
struct vhost_vring_file {
	unsigned int index;
	int fd;
};

/* where a virtqueue's three areas are */
struct vhost_vring_addr {
	unsigned int index;
	/* VHOST_VRING_F_* bits */
	unsigned int flags;
	/* log writes to the used ring at log_guest_addr */
#define VHOST_VRING_F_LOG 0

	/* descriptor table: virtually contiguous */
	__u64 desc_user_addr;
	/* device (used) area: 4-byte aligned */
	__u64 used_user_addr;
	/* driver (avail) area: 2-byte aligned */
	__u64 avail_user_addr;
	/* used ring address for write logging: 4-byte aligned */
	__u64 log_guest_addr;
};

/* a worker thread of a vhost device (VHOST_NEW_WORKER, VHOST_FREE_WORKER) */
struct vhost_worker_state {
	unsigned int worker_id;
};

/* which worker serves a virtqueue (VHOST_ATTACH_VRING_WORKER) */
struct vhost_vring_worker {
	unsigned int index;
	unsigned int worker_id;
};

/* one IOTLB message; packed by nature, no alignment required */
struct vhost_iotlb_msg {
	__u64 iova;
	__u64 size;
	__u64 uaddr;
	/* perm: how the device may access the range */
#define VHOST_ACCESS_RO      0x1
#define VHOST_ACCESS_WO      0x2
#define VHOST_ACCESS_RW      0x3
	__u8 perm;
	/* type: what the message asks for */
#define VHOST_IOTLB_MISS           1
#define VHOST_IOTLB_UPDATE         2
#define VHOST_IOTLB_INVALIDATE     3
#define VHOST_IOTLB_ACCESS_FAIL    4
	/*
	 * BATCH_BEGIN, then any number of UPDATE and INVALIDATE, then
	 * BATCH_END: the device may apply the batch in one go. Only the type
	 * of these two is read. Applying a batch atomically is a hint, not a
	 * promise.
	 */
#define VHOST_IOTLB_BATCH_BEGIN    5
#define VHOST_IOTLB_BATCH_END      6
	__u8 type;
};

/* the type word at the start of every message written or read */
#define VHOST_IOTLB_MSG 0x1
#define VHOST_IOTLB_MSG_V2 0x2

struct vhost_msg {
	int type;
	union {
		struct vhost_iotlb_msg iotlb;
		__u8 padding[64];
	};
};

/* asid is read only with VHOST_BACKEND_F_IOTLB_ASID negotiated */
struct vhost_msg_v2 {
	__u32 type;
	__u32 asid;
	union {
		struct vhost_iotlb_msg iotlb;
		__u8 padding[64];
	};
};

/* count features words follow (VHOST_GET/SET_FEATURES_ARRAY) */
struct vhost_features_array {
	__u64 count;
	__u64 features[];
};

struct vhost_memory_region {
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	/* no flags are defined */
	__u64 flags_padding;
};

/* region addresses and sizes are multiples of this */
#define VHOST_PAGE_SIZE 0x1000

struct vhost_memory {
	__u32 nregions;
	__u32 padding;
	struct vhost_memory_region regions[];
};

/* vhost-scsi: the ABI revision user space checks against */
#define VHOST_SCSI_ABI_VERSION	1

struct vhost_scsi_target {
	int abi_version;
	/* TRANSPORT_IQN_LEN bytes */
	char vhost_wwpn[224];
	unsigned short vhost_tpgt;
	unsigned short reserved;
};

/* vhost-vdpa: a window into the device config space */
struct vhost_vdpa_config {
	__u32 off;
	__u32 len;
	__u8 buf[];
};

/* vhost-vdpa: the IOVAs the device can map, first to last inclusive */
struct vhost_vdpa_iova_range {
	__u64 first;
	__u64 last;
};

/* vhost feature bits, next to the virtio ones */
/* log every write descriptor; may change while the device runs */
#define VHOST_F_LOG_ALL 26
/* vhost-net adds the virtio-net header on RX and strips it on TX */
#define VHOST_NET_F_VIRTIO_NET_HDR 27

/* backend feature bits (VHOST_GET/SET_BACKEND_FEATURES) */
/* IOTLB messages are struct vhost_msg_v2 */
#define VHOST_BACKEND_F_IOTLB_MSG_V2 0x1
/* IOTLB batching hints are understood */
#define VHOST_BACKEND_F_IOTLB_BATCH  0x2
/* struct vhost_msg_v2's asid selects the address space */
#define VHOST_BACKEND_F_IOTLB_ASID  0x3
/* VHOST_VDPA_SUSPEND works */
#define VHOST_BACKEND_F_SUSPEND  0x4
/* VHOST_VDPA_RESUME works */
#define VHOST_BACKEND_F_RESUME  0x5
/* virtqueues may be enabled after DRIVER_OK as well as before */
#define VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK  0x6
/*
 * A virtqueue's descriptor table and driver and device areas may sit in
 * another group (VHOST_VDPA_GET_VRING_DESC_GROUP) than its buffers, for
 * binding to their own address space. Needs VHOST_BACKEND_F_IOTLB_ASID.
 */
#define VHOST_BACKEND_F_DESC_ASID    0x7
/* mappings survive a device reset */
#define VHOST_BACKEND_F_IOTLB_PERSIST  0x8

#endif /* _LINUX_VHOST_TYPES_H */
