// SPDX-License-Identifier: GPL-2.0
/*
 * fopcount.ko - counts the calls that reach another driver's file
 * operations, for make fuzz: proof that the fuzzer reached the device,
 * per operation, without touching the driver. Debug kernels only.
 *
 * Writing a file descriptor number to /sys/kernel/debug/fopcount/arm (from
 * the process that holds it open) takes that file's f_op table and puts a
 * kprobe on each of its functions; each probe counts only calls for a file
 * with that same table (default_llseek and friends are shared). Writing to
 * .../disarm removes the probes; the counts add up over every arming and
 * are read from .../counts, one "name count" line each.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

struct fop_probe {
	const char *name;
	size_t offset;		/* of the function pointer in struct file_operations */
	unsigned int file_arg;	/* which argument is the struct file * */
	struct kprobe kp;
	bool registered;
	atomic_long_t hits;
};

#define FOP(field, arg) { .name = #field, .offset = offsetof(struct file_operations, field), .file_arg = arg }

static struct fop_probe probes[] = {
	FOP(open, 1), FOP(read, 0), FOP(write, 0), FOP(read_iter, 0),
	FOP(write_iter, 0), FOP(unlocked_ioctl, 0), FOP(compat_ioctl, 0),
	FOP(mmap, 0), FOP(llseek, 0), FOP(poll, 0), FOP(flush, 0),
	FOP(fsync, 0), FOP(fasync, 1), FOP(splice_read, 0),
	FOP(splice_write, 1), FOP(release, 1),
};

static const struct file_operations *armed_fops;
static DEFINE_MUTEX(arm_lock);
static unsigned long armings;
static struct dentry *dir;

static int fop_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct fop_probe *probe = container_of(kp, struct fop_probe, kp);
	struct file *file = (struct file *)regs_get_kernel_argument(regs, probe->file_arg);

	if (file && READ_ONCE(file->f_op) == READ_ONCE(armed_fops))
		atomic_long_inc(&probe->hits);
	return 0;
}
NOKPROBE_SYMBOL(fop_pre);

static void disarm(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		if (probes[i].registered)
			unregister_kprobe(&probes[i].kp);
		probes[i].registered = false;
	}
	WRITE_ONCE(armed_fops, NULL);
}

static int arm(const struct file_operations *fops)
{
	int i, j, ret;

	WRITE_ONCE(armed_fops, fops);
	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		void *fn = *(void **)((char *)fops + probes[i].offset);
		bool alias = false;

		if (!fn)
			continue;
		/* One probe per function: ioctl and compat_ioctl may share one. */
		for (j = 0; j < i; j++)
			if (probes[j].registered && probes[j].kp.addr == fn)
				alias = true;
		if (alias)
			continue;
		memset(&probes[i].kp, 0, sizeof(probes[i].kp));
		probes[i].kp.addr = fn;
		probes[i].kp.pre_handler = fop_pre;
		ret = register_kprobe(&probes[i].kp);
		if (ret) {
			pr_warn("fopcount: no probe on %s (%ps): %d\n", probes[i].name, fn, ret);
			continue;
		}
		probes[i].registered = true;
	}
	armings++;
	return 0;
}

static ssize_t arm_write(struct file *file, const char __user *buf, size_t len,
			 loff_t *pos)
{
	struct file *target;
	unsigned int fd;
	int ret;

	ret = kstrtouint_from_user(buf, len, 10, &fd);
	if (ret)
		return ret;
	target = fget(fd);
	if (!target)
		return -EBADF;
	mutex_lock(&arm_lock);
	disarm();
	ret = arm(target->f_op);
	mutex_unlock(&arm_lock);
	fput(target);
	return ret ? ret : len;
}

static ssize_t disarm_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *pos)
{
	mutex_lock(&arm_lock);
	disarm();
	mutex_unlock(&arm_lock);
	return len;
}

static int counts_show(struct seq_file *m, void *unused)
{
	int i;

	mutex_lock(&arm_lock);
	seq_printf(m, "armings %lu\n", armings);
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		seq_printf(m, "%s %ld\n", probes[i].name, atomic_long_read(&probes[i].hits));
	mutex_unlock(&arm_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(counts);

static const struct file_operations arm_fops = {
	.owner = THIS_MODULE,
	.write = arm_write,
};

static const struct file_operations disarm_fops = {
	.owner = THIS_MODULE,
	.write = disarm_write,
};

static int __init fopcount_init(void)
{
	dir = debugfs_create_dir("fopcount", NULL);
	debugfs_create_file("arm", 0200, dir, NULL, &arm_fops);
	debugfs_create_file("disarm", 0200, dir, NULL, &disarm_fops);
	debugfs_create_file("counts", 0400, dir, NULL, &counts_fops);
	return 0;
}

static void __exit fopcount_exit(void)
{
	debugfs_remove_recursive(dir);
	mutex_lock(&arm_lock);
	disarm();
	mutex_unlock(&arm_lock);
}

module_init(fopcount_init);
module_exit(fopcount_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("make fuzz: count the calls into a driver's file operations");
