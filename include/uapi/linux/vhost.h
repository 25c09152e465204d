/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The vhost user space API: ioctls on /dev/vhost-* file descriptors, the
 * vhost-vdpa ones (/dev/vhost-vdpa-N) included.
 *
 * The suite's own rendering of upstream Linux's include/uapi/linux/vhost.h:
 * every request has upstream's number, direction and argument type, as of
 * the newest supported kernel; a superset of every older supported
 * kernel's, under the same include guard (see vhost_types.h).
 *
 * vhost_types.h is included by a relative name on purpose: a kernel build
 * searches the kernel's include/uapi for <linux/vhost_types.h>, which on
 * older kernels is a smaller copy than this one. User space puts this
 * directory's parent on the include path and gets the same file either way.
 */
#ifndef _LINUX_VHOST_H
#define _LINUX_VHOST_H

#include "vhost_types.h"
#include <linux/types.h>
#include <linux/ioctl.h>

/* a vhost_vring_file.fd that unbinds */
#define VHOST_FILE_UNBIND -1

#define VHOST_VIRTIO 0xAF

/* virtio feature bits; vhost uses some transport bits for itself */
#define VHOST_GET_FEATURES	_IOR(VHOST_VIRTIO, 0x00, __u64)
#define VHOST_SET_FEATURES	_IOW(VHOST_VIRTIO, 0x00, __u64)

/*
 * Make the calling process the owner of the file descriptor; every other
 * request that acts on the device's queues or memory needs it. Fails while
 * the descriptor has an owner.
 */
#define VHOST_SET_OWNER _IO(VHOST_VIRTIO, 0x01)
/* Drop ownership and reset the device; VHOST_SET_OWNER may follow. */
#define VHOST_RESET_OWNER _IO(VHOST_VIRTIO, 0x02)

/* the guest memory layout (not vhost-vdpa, which takes IOTLB messages) */
#define VHOST_SET_MEM_TABLE	_IOW(VHOST_VIRTIO, 0x03, struct vhost_memory)

/*
 * Write logging: a bit per page, at an offset from the log base computed
 * from the physical address, set with a 32-bit atomic operation.
 */
#define VHOST_SET_LOG_BASE _IOW(VHOST_VIRTIO, 0x04, __u64)
/* an eventfd signalled on each logged write */
#define VHOST_SET_LOG_FD _IOW(VHOST_VIRTIO, 0x07, int)

/*
 * Worker threads: a device starts with one, shared by its queues. The
 * owner may create more (returning the new id), attach queues to them,
 * and free those no queue uses; the rest go with the device.
 */
#define VHOST_NEW_WORKER _IOR(VHOST_VIRTIO, 0x8, struct vhost_worker_state)
#define VHOST_FREE_WORKER _IOW(VHOST_VIRTIO, 0x9, struct vhost_worker_state)

/* virtqueue setup */
/* the number of descriptors; not while the queue runs */
#define VHOST_SET_VRING_NUM _IOW(VHOST_VIRTIO, 0x10, struct vhost_vring_state)
/* the addresses of the queue's areas */
#define VHOST_SET_VRING_ADDR _IOW(VHOST_VIRTIO, 0x11, struct vhost_vring_addr)
/* the index the device takes available descriptors from */
#define VHOST_SET_VRING_BASE _IOW(VHOST_VIRTIO, 0x12, struct vhost_vring_state)
/* read back: index in, value out in num */
#define VHOST_GET_VRING_BASE _IOWR(VHOST_VIRTIO, 0x12, struct vhost_vring_state)

/*
 * Byte order of a legacy ring (num holds one of the values below; others
 * fail with EINVAL, and changing it while the device runs with EBUSY).
 * Ignored with VIRTIO_F_VERSION_1; not every kernel configuration has SET,
 * every one that has it has GET.
 */
#define VHOST_VRING_LITTLE_ENDIAN 0
#define VHOST_VRING_BIG_ENDIAN 1
#define VHOST_SET_VRING_ENDIAN _IOW(VHOST_VIRTIO, 0x13, struct vhost_vring_state)
#define VHOST_GET_VRING_ENDIAN _IOW(VHOST_VIRTIO, 0x14, struct vhost_vring_state)
/* bind a queue to a worker from VHOST_NEW_WORKER, and ask which it has */
#define VHOST_ATTACH_VRING_WORKER _IOW(VHOST_VIRTIO, 0x15,		\
				       struct vhost_vring_worker)
#define VHOST_GET_VRING_WORKER _IOWR(VHOST_VIRTIO, 0x16,		\
				     struct vhost_vring_worker)

/* eventfds */
/* polled: the driver made buffers available */
#define VHOST_SET_VRING_KICK _IOW(VHOST_VIRTIO, 0x20, struct vhost_vring_file)
/* signalled: the device used buffers */
#define VHOST_SET_VRING_CALL _IOW(VHOST_VIRTIO, 0x21, struct vhost_vring_file)
/* signalled: the queue failed */
#define VHOST_SET_VRING_ERR _IOW(VHOST_VIRTIO, 0x22, struct vhost_vring_file)
/* busy polling time, in microseconds */
#define VHOST_SET_VRING_BUSYLOOP_TIMEOUT _IOW(VHOST_VIRTIO, 0x23,	\
					 struct vhost_vring_state)
#define VHOST_GET_VRING_BUSYLOOP_TIMEOUT _IOW(VHOST_VIRTIO, 0x24,	\
					 struct vhost_vring_state)

/* backend features: VHOST_BACKEND_F_* bits in vhost_types.h */
#define VHOST_SET_BACKEND_FEATURES _IOW(VHOST_VIRTIO, 0x25, __u64)
#define VHOST_GET_BACKEND_FEATURES _IOR(VHOST_VIRTIO, 0x26, __u64)

/* vhost-net: attach a queue to a socket or tap device; fd -1 detaches */
#define VHOST_NET_SET_BACKEND _IOW(VHOST_VIRTIO, 0x30, struct vhost_vring_file)

/* vhost-scsi */
#define VHOST_SCSI_SET_ENDPOINT _IOW(VHOST_VIRTIO, 0x40, struct vhost_scsi_target)
#define VHOST_SCSI_CLEAR_ENDPOINT _IOW(VHOST_VIRTIO, 0x41, struct vhost_scsi_target)
/* fixed forever: user space relies on it */
#define VHOST_SCSI_GET_ABI_VERSION _IOW(VHOST_VIRTIO, 0x42, int)
#define VHOST_SCSI_SET_EVENTS_MISSED _IOW(VHOST_VIRTIO, 0x43, __u32)
#define VHOST_SCSI_GET_EVENTS_MISSED _IOW(VHOST_VIRTIO, 0x44, __u32)

/* vhost-vsock */
#define VHOST_VSOCK_SET_GUEST_CID	_IOW(VHOST_VIRTIO, 0x60, __u64)
#define VHOST_VSOCK_SET_RUNNING		_IOW(VHOST_VIRTIO, 0x61, int)

/* vhost-vdpa */

/* the virtio device id (VIRTIO_ID_*) */
#define VHOST_VDPA_GET_DEVICE_ID	_IOR(VHOST_VIRTIO, 0x70, __u32)
/* the virtio device status (VIRTIO_CONFIG_S_*); writing 0 resets */
#define VHOST_VDPA_GET_STATUS		_IOR(VHOST_VIRTIO, 0x71, __u8)
#define VHOST_VDPA_SET_STATUS		_IOW(VHOST_VIRTIO, 0x72, __u8)
/* read or write len bytes of the device config space at off */
#define VHOST_VDPA_GET_CONFIG		_IOR(VHOST_VIRTIO, 0x73, \
					     struct vhost_vdpa_config)
#define VHOST_VDPA_SET_CONFIG		_IOW(VHOST_VIRTIO, 0x74, \
					     struct vhost_vdpa_config)
/* enable (num 1) or disable (num 0) a queue */
#define VHOST_VDPA_SET_VRING_ENABLE	_IOW(VHOST_VIRTIO, 0x75, \
					     struct vhost_vring_state)
/* the largest queue size of the device */
#define VHOST_VDPA_GET_VRING_NUM	_IOR(VHOST_VIRTIO, 0x76, __u16)

/* an eventfd signalled when the config space changes */
#define VHOST_VDPA_SET_CONFIG_CALL	_IOW(VHOST_VIRTIO, 0x77, int)

/* the IOVAs the device can map */
#define VHOST_VDPA_GET_IOVA_RANGE	_IOR(VHOST_VIRTIO, 0x78, \
					     struct vhost_vdpa_iova_range)
/* the size of the device config space */
#define VHOST_VDPA_GET_CONFIG_SIZE	_IOR(VHOST_VIRTIO, 0x79, __u32)

/* the number of address spaces */
#define VHOST_VDPA_GET_AS_NUM		_IOR(VHOST_VIRTIO, 0x7A, unsigned int)

/* the group of the queue given in index, returned in num */
#define VHOST_VDPA_GET_VRING_GROUP	_IOWR(VHOST_VIRTIO, 0x7B,	\
					      struct vhost_vring_state)
/* attach the group given in index to the address space given in num */
#define VHOST_VDPA_SET_GROUP_ASID	_IOW(VHOST_VIRTIO, 0x7C, \
					     struct vhost_vring_state)

/*
 * Stop processing the queues, keeping what a later resume (or a migration
 * destination) needs: the queues' base indexes and any device state. The
 * config space does not change from then on.
 */
#define VHOST_VDPA_SUSPEND		_IO(VHOST_VIRTIO, 0x7D)

/* Carry on after VHOST_VDPA_SUSPEND, with the state kept. */
#define VHOST_VDPA_RESUME		_IO(VHOST_VIRTIO, 0x7E)

/*
 * The group of the descriptor table and driver and device areas of the
 * queue given in index, returned in num (VHOST_BACKEND_F_DESC_ASID).
 */
#define VHOST_VDPA_GET_VRING_DESC_GROUP	_IOWR(VHOST_VIRTIO, 0x7F,	\
					      struct vhost_vring_state)

/* the number of virtqueues */
#define VHOST_VDPA_GET_VQS_COUNT	_IOR(VHOST_VIRTIO, 0x80, __u32)

/* the number of virtqueue groups */
#define VHOST_VDPA_GET_GROUP_NUM	_IOR(VHOST_VIRTIO, 0x81, __u32)

/* the largest size of the queue given in index, returned in num */
#define VHOST_VDPA_GET_VRING_SIZE	_IOWR(VHOST_VIRTIO, 0x82,	\
					      struct vhost_vring_state)

/* feature bits beyond 64, as an array of words */
#define VHOST_GET_FEATURES_ARRAY _IOR(VHOST_VIRTIO, 0x83, \
				       struct vhost_features_array)
#define VHOST_SET_FEATURES_ARRAY _IOW(VHOST_VIRTIO, 0x83, \
				       struct vhost_features_array)

/* how vhost creates its workers: VHOST_SET_FORK_FROM_OWNER's argument */
#define VHOST_FORK_OWNER_KTHREAD 0
#define VHOST_FORK_OWNER_TASK 1

/*
 * Before VHOST_SET_OWNER, choose whether workers are tasks forked from the
 * owner, inheriting its attributes (VHOST_FORK_OWNER_TASK, the default),
 * or kernel threads (VHOST_FORK_OWNER_KTHREAD). Only with
 * CONFIG_VHOST_ENABLE_FORK_OWNER_CONTROL.
 */
#define VHOST_SET_FORK_FROM_OWNER _IOW(VHOST_VIRTIO, 0x84, __u8)

/* the choice above */
#define VHOST_GET_FORK_FROM_OWNER _IOR(VHOST_VIRTIO, 0x85, __u8)

#endif /* _LINUX_VHOST_H */
