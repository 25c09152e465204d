// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only module with deliberate bugs, to prove that the guest
 * harness catches what the debug kernel reports. Loading it does nothing;
 * writing to /sys/kernel/debug/vdpa_test_bugs/trigger does:
 *
 *   kasan    reads one byte past the end of a kmalloc'ed buffer
 *   lockdep  takes two mutexes in both orders (a possible deadlock)
 *
 * Used only by the harness self-test on the 6.12-debug kernel.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>

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
MODULE_DESCRIPTION("Deliberate KASAN and lockdep reports for the harness self-test");
MODULE_VERSION("0.1.0");
