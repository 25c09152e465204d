/* SPDX-License-Identifier: GPL-2.0 */
/* vdpa_pci: the transport of one virtio-net PCI function (vp_hw.c). */
#ifndef _VDPA_PCI_H
#define _VDPA_PCI_H

#include <linux/pci.h>
#include <linux/spinlock.h>
#include <uapi/linux/virtio_pci.h>

/**
 * struct vp_hw - the virtio 1.x structures of one PCI function
 * @pdev: the function
 * @lock: serializes queue_select and the feature selects with the
 *	registers they window
 * @common: common configuration
 * @isr: ISR status byte
 * @device: device-specific configuration
 * @device_len: its length
 * @notify: notify (doorbell) region
 * @notify_len: its length
 * @notify_pa: its physical address, for mapping doorbells to user space
 * @notify_mult: notify_off_multiplier
 * @notify_mem: the notify region is in a memory BAR (not an I/O one)
 * @num_queues: how many queues the function has
 * @bars: the BARs mapped, as a mask
 */
struct vp_hw {
	struct pci_dev *pdev;
	spinlock_t lock;	/* queue_select and feature selects */
	struct virtio_pci_common_cfg __iomem *common;
	u8 __iomem *isr;
	void __iomem *device;
	u32 device_len;
	void __iomem *notify;
	u32 notify_len;
	resource_size_t notify_pa;
	u32 notify_mult;
	bool notify_mem;
	u16 num_queues;
	u32 bars;
};

int vp_hw_probe(struct vp_hw *vp);
void vp_hw_remove(struct vp_hw *vp);
u64 vp_hw_get_features(struct vp_hw *vp);
void vp_hw_set_driver_features(struct vp_hw *vp, u64 f);
u64 vp_hw_get_driver_features(struct vp_hw *vp);
u8 vp_hw_get_status(struct vp_hw *vp);
void vp_hw_set_status(struct vp_hw *vp, u8 status);
int vp_hw_reset(struct vp_hw *vp);
u8 vp_hw_generation(struct vp_hw *vp);
void vp_hw_set_config_vector(struct vp_hw *vp, u16 vector);
void vp_hw_queue_setup(struct vp_hw *vp, u16 hw, u16 *max_size,
		       u32 *notify_off);
void vp_hw_queue_set_size(struct vp_hw *vp, u16 hw, u16 size);
void vp_hw_queue_set_addr(struct vp_hw *vp, u16 hw, u64 desc, u64 driver,
			  u64 device);
void vp_hw_queue_enable(struct vp_hw *vp, u16 hw);
bool vp_hw_queue_enabled(struct vp_hw *vp, u16 hw);
u16 vp_hw_queue_set_vector(struct vp_hw *vp, u16 hw, u16 vector);

#endif /* _VDPA_PCI_H */
