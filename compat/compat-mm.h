/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory management: VMA flags are changed through vm_flags_set() since
 * 6.3, which also takes the per-VMA lock where there is one; before, the
 * field was written directly.
 */
#ifndef _VDPA_COMPAT_MM_H
#define _VDPA_COMPAT_MM_H

#include <linux/mm.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

#endif /* _VDPA_COMPAT_MM_H */
