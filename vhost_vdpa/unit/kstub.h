/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel for vhost_vdpa/iotlb.c to build and run in
 * user space: force-included before it (and before iotlb_test.c), with
 * every kernel header it names replaced by an empty file (see Makefile).
 * Pages, pinning, vhost_iotlb and the parent are fakes in iotlb_test.c.
 */
#ifndef KSTUB_H
#define KSTUB_H

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <linux/types.h>

#define LINUX_VERSION_CODE	KERNEL_VERSION(7, 2, 0)
#define KERNEL_VERSION(a, b, c)	(((a) << 16) + ((b) << 8) + (c))

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint64_t phys_addr_t;

#define __user
#define U16_MAX		UINT16_MAX
#define U64_MAX		UINT64_MAX
#define BIT_ULL(n)	(1ULL << (n))
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)
#define PAGE_ALIGNED(x)	(((x) & (PAGE_SIZE - 1)) == 0)
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define offsetofend(T, m)	(offsetof(T, m) + sizeof(((T *)0)->m))
#define container_of(p, T, m)	((T *)((char *)(p) - offsetof(T, m)))
#define lockdep_assert_held(l)	((void)(l))
#define cond_resched()		do { } while (0)
/* no speculation in a unit test: the index, as the caller checked it */
#define array_index_nospec(i, n)	(i)
#define fatal_signal_pending(t)	0
#define dev_warn(d, ...)	fprintf(stderr, "# " __VA_ARGS__)

#define MAX_ERRNO	4095
#define IS_ERR(p)	((unsigned long)(p) >= (unsigned long)-MAX_ERRNO)
#define PTR_ERR(p)	((long)(p))
#define ERR_PTR(e)	((void *)(long)(e))

#define GFP_KERNEL		0
#define GFP_KERNEL_ACCOUNT	0
#define FOLL_WRITE		1
#define FOLL_LONGTERM		2
#define RLIMIT_MEMLOCK		8
#define CAP_IPC_LOCK		14

struct list_head {
	struct list_head *next, *prev;
};

#define INIT_LIST_HEAD(l)	((l)->next = (l)->prev = (l))
#define list_entry(p, T, m)	container_of(p, T, m)
#define list_for_each_entry_safe(pos, n, head, m)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), m),	\
	     n = list_entry(pos->m.next, __typeof__(*pos), m);		\
	     &pos->m != (head);						\
	     pos = n, n = list_entry(n->m.next, __typeof__(*n), m))

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
}

typedef struct {
	long long v;
} atomic64_t;

static inline long long atomic64_add_return(long long i, atomic64_t *a)
{
	return a->v += i;
}

static inline void atomic64_sub(long long i, atomic64_t *a)
{
	a->v -= i;
}

struct mm_struct {
	atomic64_t pinned_vm;
};

struct task_struct {
	struct mm_struct *mm;
};

extern struct task_struct *current;
extern unsigned long kstub_rlimit;
extern int kstub_capable;
#define rlimit(r)	kstub_rlimit
#define capable(c)	kstub_capable

void *kstub_kmalloc(size_t n);
#define kmalloc(n, g)		kstub_kmalloc(n)
#define kcalloc(n, s, g)	calloc(n, s)
#define kfree(p)		free(p)
#define __get_free_page(g)	((unsigned long)malloc(PAGE_SIZE))
#define free_page(p)		free((void *)(p))

/* struct page i is page frame i */
struct page {
	int pins;
	bool dirty;
};

extern struct page kstub_pages[];
#define pfn_to_page(pfn)	(&kstub_pages[pfn])
#define page_to_phys(p)		((phys_addr_t)((p) - kstub_pages) << PAGE_SHIFT)
int pin_user_pages_fast(unsigned long start, int nr, unsigned int flags,
			struct page **pages);
void unpin_user_pages(struct page **pages, unsigned long n);
void unpin_user_page_range_dirty_lock(struct page *p, unsigned long n,
				      bool dirty);
#define u64_to_user_ptr(x)	((void *)(uintptr_t)(x))
#define access_ok(p, n)		((uintptr_t)(p) + (n) <= 0x800000000000ULL)

/* vhost_iotlb, as a sorted list */
#define VHOST_MAP_RO	1
#define VHOST_MAP_WO	2
#define VHOST_MAP_RW	3

struct vhost_iotlb_map {
	struct vhost_iotlb_map *next;
	u64 start, last, size, addr;
	u32 perm;
	void *opaque;
};

struct vhost_iotlb {
	struct vhost_iotlb_map *head;
	int nmaps;
};

struct vhost_iotlb *vhost_iotlb_alloc(unsigned int limit, unsigned int flags);
void vhost_iotlb_free(struct vhost_iotlb *iotlb);
int vhost_iotlb_add_range_ctx(struct vhost_iotlb *iotlb, u64 start, u64 last,
			      u64 addr, unsigned int perm, void *opaque);
void vhost_iotlb_del_range(struct vhost_iotlb *iotlb, u64 start, u64 last);
struct vhost_iotlb_map *vhost_iotlb_itree_first(struct vhost_iotlb *iotlb,
						u64 start, u64 last);
struct vhost_iotlb_map *vhost_iotlb_itree_next(struct vhost_iotlb_map *map,
					       u64 start, u64 last);
void vhost_iotlb_map_free(struct vhost_iotlb *iotlb,
			  struct vhost_iotlb_map *map);

/* the parts of the vDPA bus that iotlb.c uses */
struct vdpa_iova_range {
	u64 first, last;
};

struct vdpa_device;

struct vdpa_config_ops {
	int (*set_map)(struct vdpa_device *vdev, unsigned int asid,
		       struct vhost_iotlb *iotlb);
	int (*dma_map)(struct vdpa_device *vdev, unsigned int asid, u64 iova,
		       u64 size, u64 pa, u32 perm, void *opaque);
	int (*dma_unmap)(struct vdpa_device *vdev, unsigned int asid,
			 u64 iova, u64 size);
	int (*reset_map)(struct vdpa_device *vdev, unsigned int asid);
	struct vdpa_iova_range (*get_iova_range)(struct vdpa_device *vdev);
};

struct vdpa_ext_ops {
	int (*dma_batch_begin)(struct vdpa_device *vdev, unsigned int asid);
	int (*dma_batch_commit)(struct vdpa_device *vdev, unsigned int asid);
};

struct device {
	int unused;
};

/* user-address parents: files and VMAs (fakes in iotlb_test.c) */
struct file {
	int refs;
};

struct vdpa_map_file {
	struct file *file;
	u64 offset;
};

#define VM_SHARED	0x8UL
#define VM_IO		0x4000UL
#define VM_PFNMAP	0x400UL

struct vm_area_struct {
	unsigned long vm_start, vm_end, vm_pgoff, vm_flags;
	struct file *vm_file;
};

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
#define mmap_read_lock(mm)	((void)(mm))
#define mmap_read_unlock(mm)	((void)(mm))
#define fput(f)			((void)(f)->refs--)

static inline struct file *get_file(struct file *f)
{
	f->refs++;
	return f;
}

struct vdpa_device {
	struct device dev;
	bool use_va;
	const struct vdpa_config_ops *config;
	const struct vdpa_ext_ops *ext;	/* the core keeps it beside */
};

static inline const struct vdpa_ext_ops *
vdpa_get_ext_ops(struct vdpa_device *vdev)
{
	return vdev->ext;
}

union virtio_map {
	struct device *dma_dev;
};

#define vdpa_get_map(vdpa)	((union virtio_map){ .dma_dev = &(vdpa)->dev })

/* no IOMMU here: the platform path is not exercised */
#define IOMMU_READ			1
#define IOMMU_WRITE			2
#define IOMMU_CACHE			4
#define IOMMU_CAP_CACHE_COHERENCY	0

struct iommu_domain_geometry {
	u64 aperture_start, aperture_end;
	bool force_aperture;
};

struct iommu_domain {
	struct iommu_domain_geometry geometry;
};

#define device_iommu_capable(d, c)		((void)(d), false)
#define iommu_paging_domain_alloc(d)		ERR_PTR(-ENODEV)
#define iommu_attach_device(dom, d)		(-ENODEV)
#define iommu_detach_device(dom, d)		((void)(dom))
#define iommu_domain_free(dom)			((void)(dom))
#define iommu_map(dom, iova, pa, size, prot, gfp) ((void)(prot), -ENODEV)
#define iommu_unmap(dom, iova, size)		((size_t)(size))

/* the rest of what vhost_vdpa.h names */
struct cdev {
	int unused;
};

struct rw_semaphore {
	int unused;
};

struct mutex {
	int unused;
};

typedef struct {
	int unused;
} wait_queue_head_t, wait_queue_entry_t, poll_table, spinlock_t;

struct iov_iter {
	const void *buf;
	size_t len;
};

#define iov_iter_count(i)	((i)->len)

static inline bool copy_from_iter_full(void *to, size_t n, struct iov_iter *i)
{
	if (n > i->len)
		return false;
	memcpy(to, i->buf, n);
	i->len -= n;
	return true;
}

#endif /* KSTUB_H */
