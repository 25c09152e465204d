/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI: setting a device's driver_override from a driver. Newer kernels
 * keep it in struct device (device_set_driver_override()); the change
 * was also backported to some stable series (Debian's 6.12 has it), so
 * this is detected from the headers (compat/Kbuild.include), not from
 * the version.
 */
#ifndef _VDPA_COMPAT_PCI_H
#define _VDPA_COMPAT_PCI_H

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/string.h>

static inline int compat_pci_set_driver_override(struct pci_dev *pdev,
						 const char *name)
{
#ifdef COMPAT_HAVE_DEVICE_SET_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name);
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override, name,
				   strlen(name));
#endif
}

#endif /* _VDPA_COMPAT_PCI_H */
