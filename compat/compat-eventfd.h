/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eventfd: 6.8 dropped eventfd_signal()'s count argument (it always adds
 * 1 now). Older kernels get the newest one-argument form; the macro does
 * not expand inside itself, so it calls the real two-argument function.
 */
#ifndef _VDPA_COMPAT_EVENTFD_H
#define _VDPA_COMPAT_EVENTFD_H

#include <linux/eventfd.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#define eventfd_signal(ctx) eventfd_signal((ctx), 1)
#endif

#endif /* _VDPA_COMPAT_EVENTFD_H */
