/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interface between the parts of vdpa.ko. */
#ifndef _VDPA_CORE_H
#define _VDPA_CORE_H

#include <linux/vdpa_ext.h>

extern struct bus_type vdpa_bus;

/*
 * vdpa_dev_lock protects the management device list and serializes the
 * creation and deletion of devices through management devices.
 */
extern struct rw_semaphore vdpa_dev_lock;
extern struct list_head vdpa_mgmtdev_list;

const char *vdpa_mode_name(u8 mode);
u8 vdpa_default_mode(void);
struct vdpa_mgmt_dev *_vdpa_mgmtdev_find(const char *bus, const char *name);
struct vdpa_device *vdpa_find_device(const char *name);
bool vdpa_dev_registered(struct vdpa_device *vdev);
int _vdpa_mgmtdev_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			  u8 mode, const struct vdpa_dev_set_config *config,
			  struct netlink_ext_ack *extack);
int _vdpa_mgmtdev_dev_set_attr(struct vdpa_device *vdev,
			       const struct vdpa_dev_set_config *config,
			       struct netlink_ext_ack *extack);
void vdpa_request_driver(const char *name);

int vdpa_netlink_init(void);
void vdpa_netlink_exit(void);

#endif /* _VDPA_CORE_H */
