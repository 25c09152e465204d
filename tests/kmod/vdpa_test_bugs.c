// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only module with deliberate bugs, to prove that the guest
 * harness catches what the debug kernel reports. Loading it does nothing;
 * writing to /sys/kernel/debug/vdpa_test_bugs/trigger does:
 *
 *   kasan       reads one byte past the end of a kmalloc'ed buffer
 *   lockdep     takes two mutexes in both orders (a possible deadlock)
 *   warn        WARN()s
 *   ubsan       indexes an array past its end, inside its allocation
 *   leak        leaks 50 kmalloc'ed objects
 *   iotlb-leak  leaks a vhost_iotlb and its entry, both allocated by the
 *               kernel's vhost_iotlb module on this module's behalf
 *
 * Used only by the harness self-test on the 6.12-debug kernel.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/vhost_iotlb.h>

static struct dentry *bugs_dir;
static DEFINE_MUTEX(bugs_lock_a);
static DEFINE_MUTEX(bugs_lock_b);

static noinline void bugs_kasan(void)
{
	size_t size = 40;
	char *buf = kmalloc(size, GFP_KERNEL);
	/* hide the index from the compiler's bounds checks */
	volatile size_t idx = size + 8;

	if (!buf)
		return;
	pr_info("vdpa_test_bugs: out-of-bounds read: %d\n", buf[idx]);
	kfree(buf);
}

static noinline void bugs_lockdep(void)
{
	mutex_lock(&bugs_lock_a);
	mutex_lock(&bugs_lock_b);
	mutex_unlock(&bugs_lock_b);
	mutex_unlock(&bugs_lock_a);

	mutex_lock(&bugs_lock_b);
	mutex_lock(&bugs_lock_a);
	mutex_unlock(&bugs_lock_a);
	mutex_unlock(&bugs_lock_b);
}

static noinline void bugs_warn(void)
{
	WARN(1, "vdpa_test_bugs: a deliberate warning\n");
}

struct bugs_pair {
	int a[4];
	int b[4];
};

static noinline void bugs_ubsan(void)
{
	struct bugs_pair *p = kzalloc(sizeof(*p), GFP_KERNEL);
	volatile int idx = 5;

	if (!p)
		return;
	/* inside the allocation (KASAN is silent), past a[] (UBSAN is not) */
	pr_info("vdpa_test_bugs: a[5] is %d\n", p->a[idx]);
	kfree(p);
}

#define BUGS_LEAKS 50

static noinline void bugs_leak(void)
{
	int i;

	for (i = 0; i < BUGS_LEAKS; i++) {
		/* volatile: the allocation must not be optimised away */
		char * volatile buf = kmalloc(96, GFP_KERNEL);

		if (buf)
			buf[0] = i;
	}
}

static noinline void bugs_iotlb_leak(void)
{
	struct vhost_iotlb *iotlb = vhost_iotlb_alloc(VDPA_IOTLB_NO_LIMIT, 0);

	if (iotlb && vhost_iotlb_add_range(iotlb, 0, 4095, 0, VHOST_MAP_RW))
		vhost_iotlb_free(iotlb);
}

static ssize_t bugs_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char cmd[16] = {};

	if (copy_from_user(cmd, ubuf, min(len, sizeof(cmd) - 1)))
		return -EFAULT;
	if (sysfs_streq(cmd, "kasan"))
		bugs_kasan();
	else if (sysfs_streq(cmd, "lockdep"))
		bugs_lockdep();
	else if (sysfs_streq(cmd, "warn"))
		bugs_warn();
	else if (sysfs_streq(cmd, "ubsan"))
		bugs_ubsan();
	else if (sysfs_streq(cmd, "leak"))
		bugs_leak();
	else if (sysfs_streq(cmd, "iotlb-leak"))
		bugs_iotlb_leak();
	else
		return -EINVAL;
	return len;
}

static const struct file_operations bugs_fops = {
	.owner = THIS_MODULE,
	.write = bugs_write,
};

static int __init bugs_init(void)
{
	bugs_dir = debugfs_create_dir("vdpa_test_bugs", NULL);
	debugfs_create_file("trigger", 0200, bugs_dir, NULL, &bugs_fops);
	return 0;
}

static void __exit bugs_exit(void)
{
	debugfs_remove_recursive(bugs_dir);
}

module_init(bugs_init);
module_exit(bugs_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vDPA suite developers");
MODULE_DESCRIPTION("Deliberate kernel reports and leaks for the harness self-test");
MODULE_VERSION("0.1.0");
