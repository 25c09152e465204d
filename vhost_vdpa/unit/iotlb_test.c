// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of vhost_vdpa/iotlb.c, built with kstub.h: IOTLB
 * messages against fake user pages and three fake parents (dma_map with
 * batches like vdpa_sim, dma_map alone, set_map alone), over three
 * physical layouts of the user memory (contiguous, a hole every three
 * pages, every page apart). After every step it checks that each page is
 * pinned once per run over it (mapped or retired), that pinned_vm counts
 * exactly the pins, and, between batches, that the parent's map equals
 * the driver's and nothing waits to be unpinned. Failures are injected at
 * every allocation, pin and parent map of an update. A user-address parent
 * (VDUSE) gets entries by file and offset, a reference held per entry.
 * Output is TAP.
 */
/* the code under test, static functions and private types included */
#include "../iotlb.c"

#define NPFN	65536
#define NAS	2
#define UBASE	0x10000000UL	/* user address of user page 0 */
#define P	PAGE_SIZE

struct page kstub_pages[NPFN];
static struct mm_struct owner_mm;
static struct task_struct owner = { .mm = &owner_mm };
struct task_struct *current = &owner;
unsigned long kstub_rlimit = ~0UL;
int kstub_capable;

static int kmalloc_calls, kmalloc_fail_at = -1;
static int pin_fail_at = -1;	/* user page where pinning stops */
static int map_calls, map_fail_at = -1;
static bool set_map_fails, commit_fails;
static int layout;		/* 0 contiguous, 1 holes, 2 descending */
static int failed, tests;

#define CHECK(c) check(c, #c, __LINE__)

static void check(bool ok, const char *what, int line)
{
	if (!ok) {
		printf("# line %d: %s\n", line, what);
		failed++;
	}
}

void *kstub_kmalloc(size_t n)
{
	return kmalloc_calls++ == kmalloc_fail_at ? NULL : malloc(n);
}

static unsigned long user_pfn(unsigned long upage)
{
	if (layout == 1)
		return 100 + upage + upage / 3;
	if (layout == 2)
		return 30000 - upage;
	return 100 + upage;
}

int pin_user_pages_fast(unsigned long start, int nr, unsigned int flags,
			struct page **pages)
{
	unsigned long upage = (start - UBASE) / P;
	int i;

	for (i = 0; i < nr; i++) {
		if ((long)(upage + i) == pin_fail_at)
			return i ? i : -EFAULT;
		pages[i] = &kstub_pages[user_pfn(upage + i)];
		pages[i]->pins++;
	}
	return nr;
}

void unpin_user_pages(struct page **pages, unsigned long n)
{
	while (n--)
		pages[n]->pins--;
}

void unpin_user_page_range_dirty_lock(struct page *p, unsigned long n,
				      bool dirty)
{
	while (n--) {
		p[n].pins--;
		p[n].dirty |= dirty;
	}
}

struct vhost_iotlb *vhost_iotlb_alloc(unsigned int limit, unsigned int flags)
{
	return calloc(1, sizeof(struct vhost_iotlb));
}

int vhost_iotlb_add_range_ctx(struct vhost_iotlb *iotlb, u64 start, u64 last,
			      u64 addr, unsigned int perm, void *opaque)
{
	struct vhost_iotlb_map *map = malloc(sizeof(*map)), **pos;

	*map = (struct vhost_iotlb_map){ .start = start, .last = last,
		.size = last - start + 1, .addr = addr, .perm = perm,
		.opaque = opaque };
	for (pos = &iotlb->head; *pos && (*pos)->start < start;
	     pos = &(*pos)->next)
		;
	map->next = *pos;
	*pos = map;
	iotlb->nmaps++;
	return 0;
}

struct vhost_iotlb_map *vhost_iotlb_itree_next(struct vhost_iotlb_map *map,
					       u64 start, u64 last)
{
	for (map = map->next; map; map = map->next)
		if (map->start <= last && map->last >= start)
			return map;
	return NULL;
}

struct vhost_iotlb_map *vhost_iotlb_itree_first(struct vhost_iotlb *iotlb,
						u64 start, u64 last)
{
	struct vhost_iotlb_map *map = iotlb->head;

	if (!map || (map->start <= last && map->last >= start))
		return map;
	return vhost_iotlb_itree_next(map, start, last);
}

void vhost_iotlb_map_free(struct vhost_iotlb *iotlb,
			  struct vhost_iotlb_map *map)
{
	struct vhost_iotlb_map **pos = &iotlb->head;

	while (*pos != map)
		pos = &(*pos)->next;
	*pos = map->next;
	iotlb->nmaps--;
	free(map);
}

void vhost_iotlb_del_range(struct vhost_iotlb *iotlb, u64 start, u64 last)
{
	struct vhost_iotlb_map *map;

	while ((map = vhost_iotlb_itree_first(iotlb, start, last)))
		vhost_iotlb_map_free(iotlb, map);
}

void vhost_iotlb_free(struct vhost_iotlb *iotlb)
{
	vhost_iotlb_del_range(iotlb, 0, U64_MAX);
	free(iotlb);
}

/* The parent: a live map per address space, and one a batch builds. */
static struct vhost_iotlb *live[NAS], *staged[NAS];

/* dirty logging (log.c) is not under test here: never on */
int _vhost_vdpa_log_cover(struct vhost_vdpa *v, u64 last, u32 perm)
{
	return 0;
}

static void copy_map(struct vhost_iotlb *dst, struct vhost_iotlb *src)
{
	struct vhost_iotlb_map *m;

	for (m = src->head; m; m = m->next)
		vhost_iotlb_add_range_ctx(dst, m->start, m->last, m->addr,
					  m->perm, NULL);
}

static struct vhost_iotlb *target(unsigned int asid)
{
	return staged[asid] ? staged[asid] : live[asid];
}

static int fake_dma_map(struct vdpa_device *vdev, unsigned int asid, u64 iova,
			u64 size, u64 pa, u32 perm, void *opaque)
{
	if (map_calls++ == map_fail_at)
		return -ENOMEM;
	if (vhost_iotlb_itree_first(target(asid), iova, iova + size - 1))
		return -EEXIST;
	return vhost_iotlb_add_range_ctx(target(asid), iova, iova + size - 1,
					 pa, perm, NULL);
}

static int fake_dma_unmap(struct vdpa_device *vdev, unsigned int asid,
			  u64 iova, u64 size)
{
	vhost_iotlb_del_range(target(asid), iova, iova + size - 1);
	return 0;
}

static int fake_batch_begin(struct vdpa_device *vdev, unsigned int asid)
{
	assert(!staged[asid]);
	staged[asid] = vhost_iotlb_alloc(0, 0);
	copy_map(staged[asid], live[asid]);
	return 0;
}

static int fake_batch_commit(struct vdpa_device *vdev, unsigned int asid)
{
	assert(staged[asid]);
	if (commit_fails) {
		vhost_iotlb_free(staged[asid]);
		staged[asid] = NULL;
		return -EIO;
	}
	vhost_iotlb_free(live[asid]);
	live[asid] = staged[asid];
	staged[asid] = NULL;
	return 0;
}

static int fake_set_map(struct vdpa_device *vdev, unsigned int asid,
			struct vhost_iotlb *iotlb)
{
	if (set_map_fails)
		return -ENOMEM;
	vhost_iotlb_free(live[asid]);
	live[asid] = vhost_iotlb_alloc(0, 0);
	copy_map(live[asid], iotlb);
	return 0;
}

/*
 * reset_map calls per address space, and whether one came while the
 * parent still had a mapping there (it must come after the last unmap)
 */
static int reset_calls[NAS];
static bool reset_early;

static int fake_reset_map(struct vdpa_device *vdev, unsigned int asid)
{
	reset_early |= !!live[asid]->head;
	reset_calls[asid]++;
	return 0;
}

/* the dma_map parent has a default map of its own, as upstream's simulator */
static const struct vdpa_config_ops parents[] = {
	{ .dma_map = fake_dma_map, .dma_unmap = fake_dma_unmap },
	{ .dma_map = fake_dma_map, .dma_unmap = fake_dma_unmap,
	  .reset_map = fake_reset_map },
	{ .set_map = fake_set_map },
};

/* what the suite adds, beside each parent's operations */
static const struct vdpa_ext_ops parent_ext[] = {
	{ .dma_batch_begin = fake_batch_begin,
	  .dma_batch_commit = fake_batch_commit },
	{ },
	{ },
};

static const char *const parent_names[] = { "batch", "dma_map", "set_map" };

static struct vdpa_device vdev;
static struct vhost_vdpa v;

static void setup(const struct vdpa_config_ops *ops)
{
	int i;

	memset(&v, 0, sizeof(v));
	memset(kstub_pages, 0, sizeof(kstub_pages));
	owner_mm.pinned_vm.v = 0;
	for (i = 0; i < NAS; i++) {
		live[i] = vhost_iotlb_alloc(0, 0);
		staged[i] = NULL;
		reset_calls[i] = 0;
	}
	reset_early = false;
	vdev.config = ops;
	vdev.ext = &parent_ext[ops - parents];
	v.vdpa = &vdev;
	v.nas = NAS;
	v.mm = &owner_mm;
	v.backend_features = BIT_ULL(VHOST_BACKEND_F_IOTLB_MSG_V2) |
			     BIT_ULL(VHOST_BACKEND_F_IOTLB_ASID);
	INIT_LIST_HEAD(&v.retired);
	CHECK(_vhost_vdpa_iotlb_open(&v) == 0);
}

static int msg(u32 asid, u8 type, u64 iova, u64 size, unsigned long uaddr,
	       u8 perm)
{
	struct vhost_msg_v2 m = {
		.type = VHOST_IOTLB_MSG_V2,
		.asid = asid,
		.iotlb = { .iova = iova, .size = size, .uaddr = uaddr,
			   .perm = perm, .type = type },
	};
	struct iov_iter from = { &m, sizeof(m) };
	ssize_t r = _vhost_vdpa_iotlb_write(&v, &from);

	return r < 0 ? (int)r : 0;
}

static bool same_map(struct vhost_iotlb *a, struct vhost_iotlb *b)
{
	struct vhost_iotlb_map *x = a->head, *y = b->head;

	for (; x && y; x = x->next, y = y->next)
		if (x->start != y->start || x->last != y->last ||
		    x->addr != y->addr || x->perm != y->perm)
			return false;
	return !x && !y;
}

static void expect_run(int *want, u64 pa, u64 size)
{
	unsigned long pfn;

	for (pfn = PFN_DOWN(pa); pfn <= PFN_DOWN(pa + size - 1); pfn++)
		want[pfn]++;
}

static void check_pins(int line)
{
	static int want[NPFN];
	struct vhost_vdpa_pin *pin, *next;
	struct vhost_iotlb_map *m;
	long long total = 0;
	int i;

	memset(want, 0, sizeof(want));
	/* a user-address entry (a file behind it) pins nothing */
	for (i = 0; i < NAS; i++)
		for (m = v.as[i].iotlb->head; m; m = m->next)
			if (!((struct vhost_vdpa_pin *)m->opaque)->file.file)
				expect_run(want, m->addr, m->size);
	list_for_each_entry_safe(pin, next, &v.retired, node)
		if (!pin->file.file)
			expect_run(want, pin->pa, pin->size);
	for (i = 0; i < NPFN; i++) {
		if (kstub_pages[i].pins != want[i]) {
			check(false, "pins match the runs", line);
			return;
		}
		total += want[i];
	}
	check(owner_mm.pinned_vm.v == total, "pinned_vm counts the pins", line);
}

static void check_synced(int line)
{
	int i;

	check_pins(line);
	check(v.retired.next == &v.retired, "nothing left to unpin", line);
	for (i = 0; i < NAS; i++)
		check(same_map(v.as[i].iotlb, live[i]), "parent in sync", line);
}

#define PINS_OK()	check_pins(__LINE__)
#define SYNCED()	check_synced(__LINE__)

static void teardown(void)
{
	int i;

	_vhost_vdpa_iotlb_unmap_all(&v);
	SYNCED();
	CHECK(owner_mm.pinned_vm.v == 0);
	/* a parent's own default map back, once, after the last unmap */
	CHECK(!reset_early);
	for (i = 0; i < NAS; i++) {
		CHECK(reset_calls[i] == !!v.vdpa->config->reset_map);
		CHECK(!live[i]->head);
		vhost_iotlb_free(live[i]);
	}
	_vhost_vdpa_iotlb_free(&v);
}

static void test_updates(int parent)
{
	setup(&parents[parent]);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000, 10 * P, UBASE,
		  VHOST_ACCESS_RW) == 0);
	SYNCED();
	/* sub-page offsets, read-only, the other address space */
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x200080, 5 * P, UBASE + 20 * P + 0x80,
		  VHOST_ACCESS_RO) == 0);
	CHECK(msg(1, VHOST_IOTLB_UPDATE, 0x100000, 3 * P, UBASE + 40 * P,
		  VHOST_ACCESS_WO) == 0);
	SYNCED();
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000 + P, P, UBASE + 50 * P,
		  VHOST_ACCESS_RW) == -EEXIST);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x300000, 0, UBASE,
		  VHOST_ACCESS_RW) == -EINVAL);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x300001, P, UBASE,
		  VHOST_ACCESS_RW) == -EINVAL);
	CHECK(msg(NAS, VHOST_IOTLB_UPDATE, 0x300000, P, UBASE,
		  VHOST_ACCESS_RW) == -EINVAL);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x300000, P, UBASE, 0) == -EINVAL);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, U64_MAX - P + 1, 2 * P, UBASE,
		  VHOST_ACCESS_RW) == -EINVAL);
	CHECK(msg(0, 42, 0x300000, P, UBASE, VHOST_ACCESS_RW) == -EINVAL);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x300000, P, 0xffff800000000000UL,
		  VHOST_ACCESS_RW) == -EFAULT);
	/* an invalidation may not cut a mapping */
	CHECK(msg(0, VHOST_IOTLB_INVALIDATE, 0x100000, P, 0, 0) == -EINVAL);
	CHECK(msg(0, VHOST_IOTLB_INVALIDATE, 0x100000 + P, 20 * P, 0, 0) ==
	      -EINVAL);
	SYNCED();
	CHECK(msg(0, VHOST_IOTLB_INVALIDATE, 0x200000, 8 * P, 0, 0) == 0);
	SYNCED();
	CHECK(kstub_pages[user_pfn(20)].pins == 0);
	CHECK(!kstub_pages[user_pfn(20)].dirty);
	teardown();
	CHECK(kstub_pages[user_pfn(0)].dirty);
}

static void test_memlock(int parent)
{
	setup(&parents[parent]);
	kstub_rlimit = 20 * P;
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000, 16 * P, UBASE,
		  VHOST_ACCESS_RW) == 0);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x300000, 8 * P, UBASE + 60 * P,
		  VHOST_ACCESS_RW) == -ENOMEM);
	SYNCED();
	kstub_capable = 1;
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x300000, 8 * P, UBASE + 60 * P,
		  VHOST_ACCESS_RW) == 0);
	kstub_capable = 0;
	kstub_rlimit = ~0UL;
	SYNCED();
	teardown();
}

/* Removed mappings stay pinned until the batch ends. */
static void test_batch(int parent)
{
	setup(&parents[parent]);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000, 10 * P, UBASE,
		  VHOST_ACCESS_RW) == 0);
	CHECK(msg(0, VHOST_IOTLB_BATCH_BEGIN, 0, 0, 0, 0) == 0);
	CHECK(msg(0, VHOST_IOTLB_INVALIDATE, 0x100000, 10 * P, 0, 0) == 0);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000, 10 * P, UBASE + 100 * P,
		  VHOST_ACCESS_RW) == 0);
	PINS_OK();
	CHECK(kstub_pages[user_pfn(0)].pins == 1);
	if (parent_ext[parent].dma_batch_begin)
		CHECK(staged[0] && live[0]->head &&
		      live[0]->head->addr == user_pfn(0) * P);
	CHECK(msg(0, VHOST_IOTLB_BATCH_END, 0, 0, 0, 0) == 0);
	SYNCED();
	CHECK(kstub_pages[user_pfn(0)].pins == 0);
	/* a batch left open when the device goes */
	CHECK(msg(0, VHOST_IOTLB_BATCH_BEGIN, 0, 0, 0, 0) == 0);
	CHECK(msg(1, VHOST_IOTLB_UPDATE, 0x800000, 3 * P, UBASE + 200 * P,
		  VHOST_ACCESS_RW) == 0);
	teardown();
}

/* A failing set_map is tried again; its pages stay pinned meanwhile. */
static void test_set_map_retry(int parent)
{
	setup(&parents[parent]);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000, 10 * P, UBASE,
		  VHOST_ACCESS_RW) == 0);
	set_map_fails = true;
	CHECK(msg(0, VHOST_IOTLB_INVALIDATE, 0x100000, 10 * P, 0, 0) ==
	      -ENOMEM);
	PINS_OK();
	CHECK(kstub_pages[user_pfn(0)].pins == 1);
	set_map_fails = false;
	CHECK(msg(0, VHOST_IOTLB_BATCH_END, 0, 0, 0, 0) == 0);
	SYNCED();
	teardown();
}

/* A failed batch commit keeps what it retired pinned until teardown. */
static void test_stale_parent(int parent)
{
	setup(&parents[parent]);
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000, 8 * P, UBASE,
		  VHOST_ACCESS_RW) == 0);
	CHECK(msg(0, VHOST_IOTLB_BATCH_BEGIN, 0, 0, 0, 0) == 0);
	CHECK(msg(0, VHOST_IOTLB_INVALIDATE, 0x100000, 8 * P, 0, 0) == 0);
	commit_fails = true;
	CHECK(msg(0, VHOST_IOTLB_BATCH_END, 0, 0, 0, 0) == -EIO);
	commit_fails = false;
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x200000, P, UBASE + 50 * P,
		  VHOST_ACCESS_RW) == 0);
	PINS_OK();
	CHECK(kstub_pages[user_pfn(0)].pins == 1);
	_vhost_vdpa_iotlb_unmap_all(&v);
	PINS_OK();
	CHECK(owner_mm.pinned_vm.v == 0);
	CHECK(!v.parent_stale);
	vhost_iotlb_free(live[0]);
	vhost_iotlb_free(live[1]);
	_vhost_vdpa_iotlb_free(&v);
}

/* Fail the first update's allocations, pins or parent maps one by one. */
static void test_faults(int parent)
{
	int kind, at, batch, r;

	for (kind = 0; kind < 3; kind++)
		for (batch = 0; batch < 2; batch++)
			for (at = 0; at < 14; at++) {
				setup(&parents[parent]);
				/* a neighbour pins the first page too */
				CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100100,
					  0x100, UBASE + 0x100,
					  VHOST_ACCESS_RW) == 0);
				if (batch)
					CHECK(msg(0, VHOST_IOTLB_BATCH_BEGIN,
						  0, 0, 0, 0) == 0);
				if (kind == 0)
					kmalloc_fail_at = kmalloc_calls + at;
				else if (kind == 1)
					pin_fail_at = at;
				else
					map_fail_at = map_calls + at;
				r = msg(0, VHOST_IOTLB_UPDATE, 0x100200, 12 * P,
					UBASE + 0x200, VHOST_ACCESS_WO);
				kmalloc_fail_at = pin_fail_at = -1;
				map_fail_at = -1;
				PINS_OK();
				if (r)
					CHECK(!vhost_iotlb_itree_first(v.as[0].iotlb,
						0x100200, 0x100200 + 12 * P - 1));
				if (batch)
					CHECK(msg(0, VHOST_IOTLB_BATCH_END,
						  0, 0, 0, 0) == 0);
				SYNCED();
				teardown();
			}
}

/*
 * A user-address parent (VDUSE): three VMAs from UBASE, 4 pages each, a
 * shared file mapping (file offset 2 pages), an anonymous one and
 * another shared file mapping, then a hole.
 */
static struct file files[2];
static struct vm_area_struct vmas[] = {
	{ UBASE, UBASE + 4 * P, 2, VM_SHARED, &files[0] },
	{ UBASE + 4 * P, UBASE + 8 * P, 0, 0, NULL },
	{ UBASE + 8 * P, UBASE + 12 * P, 0, VM_SHARED, &files[1] },
};

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	size_t i;

	for (i = 0; i < sizeof(vmas) / sizeof(vmas[0]); i++)
		if (addr >= vmas[i].vm_start && addr < vmas[i].vm_end)
			return &vmas[i];
	return NULL;
}

static const struct vdpa_map_file *va_entry(u64 iova, u64 last, u64 uaddr)
{
	struct vhost_iotlb_map *m = vhost_iotlb_itree_first(v.as[0].iotlb,
							    iova, iova);

	if (!m || m->start != iova || m->last != last || m->addr != uaddr)
		return NULL;
	return m->opaque;
}

static void test_user_address(int parent)
{
	const struct vdpa_map_file *f;
	int n;

	setup(&parents[parent]);
	vdev.use_va = true;
	/* the anonymous middle is left out; nothing is pinned or charged */
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000, 10 * P, UBASE + P,
		  VHOST_ACCESS_RW) == 0);
	CHECK(v.as[0].iotlb->nmaps == 2);
	f = va_entry(0x100000, 0x100000 + 3 * P - 1, UBASE + P);
	CHECK(f && f->file == &files[0] && f->offset == 3 * P);
	f = va_entry(0x100000 + 7 * P, 0x100000 + 10 * P - 1, UBASE + 8 * P);
	CHECK(f && f->file == &files[1] && f->offset == 0);
	CHECK(files[0].refs == 1 && files[1].refs == 1);
	CHECK(owner_mm.pinned_vm.v == 0);
	SYNCED();
	/* a hole: EFAULT, and what was added before it is gone */
	n = v.as[0].iotlb->nmaps;
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x200000, 4 * P, UBASE + 10 * P,
		  VHOST_ACCESS_RO) == -EFAULT);
	CHECK(v.as[0].iotlb->nmaps == n && files[1].refs == 1);
	SYNCED();
	/* a failed allocation or parent map: nothing left, no reference */
	kmalloc_calls = 0;
	kmalloc_fail_at = 1;
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x300000, 12 * P, UBASE,
		  VHOST_ACCESS_RW) == -ENOMEM);
	kmalloc_fail_at = -1;
	CHECK(v.as[0].iotlb->nmaps == n && files[0].refs == 1 &&
	      files[1].refs == 1);
	SYNCED();
	/* invalidating part of an update is refused; all of it drops both */
	CHECK(msg(0, VHOST_IOTLB_INVALIDATE, 0x100000, P, 0, 0) == -EINVAL);
	CHECK(msg(0, VHOST_IOTLB_INVALIDATE, 0x100000, 10 * P, 0, 0) == 0);
	CHECK(v.as[0].iotlb->nmaps == 0);
	CHECK(files[0].refs == 0 && files[1].refs == 0);
	SYNCED();
	/* teardown gives back every reference */
	CHECK(msg(0, VHOST_IOTLB_UPDATE, 0x100000, 12 * P, UBASE,
		  VHOST_ACCESS_RW) == 0);
	CHECK(files[0].refs == 1 && files[1].refs == 1);
	teardown();
	CHECK(files[0].refs == 0 && files[1].refs == 0);
	vdev.use_va = false;
}

static const struct {
	const char *name;
	void (*run)(int parent);
	int parent;	/* the one parent it needs, or -1 for each */
} cases[] = {
	{ "updates, invalidations and refusals", test_updates, -1 },
	{ "RLIMIT_MEMLOCK and CAP_IPC_LOCK", test_memlock, -1 },
	{ "pins held until the batch ends", test_batch, -1 },
	{ "rollback at every failure point", test_faults, -1 },
	{ "set_map failure retried", test_set_map_retry, 2 },
	{ "failed commit keeps pages pinned", test_stale_parent, 0 },
	{ "user-address parent: shared file mappings by file and offset",
	  test_user_address, -1 },
};

int main(void)
{
	size_t c;
	int parent, before;

	for (layout = 0; layout < 3; layout++)
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
			for (parent = 0; parent < 3; parent++) {
				if (cases[c].parent >= 0 &&
				    cases[c].parent != parent)
					continue;
				before = failed;
				cases[c].run(parent);
				printf("%sok %d - %s (%s parent, layout %d)\n",
				       failed == before ? "" : "not ", ++tests,
				       cases[c].name, parent_names[parent],
				       layout);
			}
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}
