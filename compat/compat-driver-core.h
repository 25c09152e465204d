/* SPDX-License-Identifier: GPL-2.0 */
/* Driver core: constness of bus_type callback arguments. */
#ifndef _VDPA_COMPAT_DRIVER_CORE_H
#define _VDPA_COMPAT_DRIVER_CORE_H

/* 6.3 passes bus_type.uevent a const struct device. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define compat_uevent_const const
#else
#define compat_uevent_const
#endif

/* 6.11 passes bus_type.match a const struct device_driver. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define compat_match_const const
#else
#define compat_match_const
#endif

#endif /* _VDPA_COMPAT_DRIVER_CORE_H */
