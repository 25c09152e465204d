// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_fuzz -d /dev/vhost-vdpa-N -s SEED -n COUNT [-v]
 *
 * Throws COUNT seeded random operations at a vhost-vdpa device: its
 * ioctls, IOTLB messages written to it, mappings of its doorbells, and
 * hostile rings in memory it was given, kicked with DRIVER_OK set. Every
 * result is counted by call and errno. The run fails (exit 1) when an
 * operation hangs for VF_WATCHDOG seconds, the process gets a signal, the
 * device tells something it told differently before, an IOTLB UPDATE
 * lets the pages pinned (VmPin, the owner's pinned_vm) pass
 * RLIMIT_MEMLOCK, or a close or VHOST_RESET_OWNER leaves a page pinned;
 * it then prints the operation and the command that replays the run up
 * to it. One summary line is printed in any case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vhost_fuzz.h"

#define VF_NAME(name)	#name,
static const char *const vf_call_names[VF_NCALLS] = { VF_CALLS(VF_NAME) };
#undef VF_NAME

/* for the signal handler */
static struct vf *vf_g;

/* splitmix64: the whole state is one counter, seeded by the seed alone */
uint64_t vf_rand(struct vf *v)
{
	uint64_t z = (v->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number below @n (> 0); the tiny modulo bias does not matter here. */
uint64_t vf_below(struct vf *v, uint64_t n)
{
	return vf_rand(v) % n;
}

int vf_chance(struct vf *v, unsigned int percent)
{
	return vf_below(v, 100) < percent;
}

/* A 64-bit number from the edges where checks go wrong, or any. */
uint64_t vf_wild(struct vf *v)
{
	static const uint64_t edges[] = {
		0, 1, 2, 0xff, 0x100, 0xfff, 0x1000, 0x1001, 0x7fff, 0x8000,
		0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
		~0ULL - 0x1000, ~0ULL - 0xfff, ~0ULL - 1, ~0ULL,
	};
	uint64_t r = vf_rand(v);

	switch (vf_below(v, 4)) {
	case 0:
		return edges[vf_below(v, VF_ARRAY_SIZE(edges))];
	case 1:
		return r & 0xffff;
	case 2:
		return r >> vf_below(v, 64);
	}
	return r;
}

void vf_fill(struct vf *v, void *p, size_t len)
{
	uint8_t *b = p;
	uint64_t r;

	for (; len >= 8; len -= 8, b += 8) {
		r = vf_rand(v);
		memcpy(b, &r, 8);
	}
	r = vf_rand(v);
	memcpy(b, &r, len);
}

/* Count a call's result (a syscall's return value); returns its errno. */
int vf_count(struct vf *v, enum vf_call c, long ret)
{
	int err = ret < 0 ? errno : 0;

	v->res[c][err < VF_ERRNO_MAX ? err : VF_ERRNO_MAX - 1]++;
	return err;
}

int vf_ioctl(struct vf *v, enum vf_call c, unsigned long req, void *arg)
{
	v->ioctls++;
	return vf_count(v, c, ioctl(v->fd, req, arg));
}

static const char *vf_errname(int err)
{
	const char *name = err ? strerrorname_np(err) : "ok";

	return name ? name : "E?";
}

/*
 * The summary line, with snprintf() and write() only: the watchdog's
 * signal handler prints it too.
 */
static void vf_summary(struct vf *v, unsigned long ops)
{
	unsigned long tot[VF_ERRNO_MAX] = { 0 }, ok, errs = 0;
	char line[1024];
	int c, e, i, best, n;

	for (c = 0; c < VF_NCALLS; c++)
		for (e = 0; e < VF_ERRNO_MAX; e++)
			tot[e] += v->res[c][e];
	ok = tot[0];
	tot[0] = 0;
	for (e = 1; e < VF_ERRNO_MAX; e++)
		errs += tot[e];
	n = snprintf(line, sizeof(line),
		     "vhost_fuzz: seed %llu: %lu ops (ioctls %lu, iotlb msgs %lu, mmaps %lu, reopens %lu): ok %lu, errors %lu (",
		     (unsigned long long)v->seed, ops, v->ioctls, v->msgs,
		     v->mmaps, v->reopens, ok, errs);
	/* the five most frequent errnos, most frequent first */
	for (i = 0; i < 5; i++) {
		best = 0;
		for (e = 1; e < VF_ERRNO_MAX; e++)
			if (tot[e] > tot[best])
				best = e;
		if (!best)
			break;
		n += snprintf(line + n, sizeof(line) - n, "%s%s %lu",
			      i ? ", " : "", vf_errname(best), tot[best]);
		tot[best] = 0;
	}
	n += snprintf(line + n, sizeof(line) - n, ")\n");
	if (write(STDOUT_FILENO, line, n) < 0)
		_exit(1);
}

/* Every call's results, one line per call that was made. */
static void vf_table(struct vf *v)
{
	int c, e;

	for (c = 0; c < VF_NCALLS; c++) {
		for (e = 0; e < VF_ERRNO_MAX && !v->res[c][e]; e++)
			;
		if (e == VF_ERRNO_MAX)
			continue;
		printf("vhost_fuzz: %-22s", vf_call_names[c]);
		for (e = 0; e < VF_ERRNO_MAX; e++)
			if (v->res[c][e])
				printf(" %s %lu", vf_errname(e), v->res[c][e]);
		printf("\n");
	}
	printf("vhost_fuzz: DRIVER_OK set %lu times, NEEDS_RESET read back %lu times, a fuzzed ring's used index moved %lu times\n",
	       v->started, v->needs_reset, v->used_moved);
}

static __attribute__((noreturn)) void vf_fail_tail(struct vf *v,
						   const char *what)
{
	char line[768];
	int n;

	n = snprintf(line, sizeof(line),
		     "vhost_fuzz: FAILED at op %lu of seed %llu: %s\n"
		     "vhost_fuzz: replay: vhost_fuzz -d %s -s %llu -n %lu\n",
		     v->op, (unsigned long long)v->seed, what, v->path,
		     (unsigned long long)v->seed, v->op + 1);
	if (write(STDERR_FILENO, line, n) < 0)
		_exit(1);
	vf_summary(v, v->op + 1);
	_exit(1);
}

void vf_fail(struct vf *v, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fflush(stdout);
	vf_fail_tail(v, what);
}

static void vf_on_signal(int sig)
{
	char what[128];

	if (sig == SIGALRM)
		snprintf(what, sizeof(what),
			 "watchdog: the operation took more than %d s",
			 VF_WATCHDOG);
	else
		snprintf(what, sizeof(what), "signal %d (%s)", sig,
			 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	vf_fail_tail(vf_g, what);
}

static void vf_signals(void)
{
	static const int sigs[] = {
		SIGALRM, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGPIPE, SIGABRT,
		SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGXFSZ, SIGSYS,
	};
	struct sigaction sa = { .sa_handler = vf_on_signal };
	size_t i;

	sigfillset(&sa.sa_mask);
	for (i = 0; i < VF_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* VmPin of /proc/self/status, in KiB: the pages vhost_vdpa charged. */
unsigned long vf_vmpin(struct vf *v)
{
	char buf[4096], *p;
	ssize_t n;
	int fd;

	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		vf_fail(v, "/proc/self/status: %s", strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "\nVmPin:");
	if (!p)
		vf_fail(v, "no VmPin in /proc/self/status");
	return strtoul(p + strlen("\nVmPin:"), NULL, 10);
}

void vf_check_unpinned(struct vf *v, const char *after)
{
	unsigned long kib = vf_vmpin(v);

	if (kib)
		vf_fail(v, "VmPin is %lu kB after %s, not 0", kib, after);
}

/*
 * RLIMIT_MEMLOCK down to VF_MEMLOCK (or lower if it was), and without
 * CAP_IPC_LOCK, so that the limit holds for root too.
 */
static int vf_limit_memlock(struct vf *v)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int i = CAP_TO_INDEX(CAP_IPC_LOCK);
	uint32_t bit = CAP_TO_MASK(CAP_IPC_LOCK);
	struct rlimit lim;

	if (getrlimit(RLIMIT_MEMLOCK, &lim))
		return perror("getrlimit"), -1;
	if (lim.rlim_max > VF_MEMLOCK)
		lim.rlim_max = VF_MEMLOCK;
	lim.rlim_cur = lim.rlim_max;
	if (setrlimit(RLIMIT_MEMLOCK, &lim))
		return perror("setrlimit"), -1;
	v->memlock = lim.rlim_cur;
	if (syscall(SYS_capget, &hdr, data))
		return perror("capget"), -1;
	data[i].effective &= ~bit;
	data[i].permitted &= ~bit;
	data[i].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data) || syscall(SYS_capget, &hdr, data))
		return perror("capset"), -1;
	if ((data[i].effective | data[i].permitted) & bit) {
		fprintf(stderr, "vhost_fuzz: CAP_IPC_LOCK is still there\n");
		return -1;
	}
	return 0;
}

/*
 * Open the device and, most of the time, own it and negotiate backend
 * features the way a driver would (IOTLB v2 messages, batches, ASIDs).
 */
static void vf_open(struct vf *v)
{
	uint64_t backend = 0, mask;
	int owner, set_backend;

	v->fd = open(v->path, O_RDWR | O_CLOEXEC);
	if (vf_count(v, VF_C_OPEN, v->fd))
		vf_fail(v, "open %s: %s", v->path, strerror(errno));
	owner = vf_chance(v, 90);
	set_backend = vf_chance(v, 90);
	mask = vf_rand(v) | VF_BIT(VHOST_BACKEND_F_IOTLB_MSG_V2) |
	       VF_BIT(VHOST_BACKEND_F_IOTLB_BATCH);
	if (owner)
		vf_ioctl(v, VF_C_SET_OWNER, VHOST_SET_OWNER, NULL);
	if (set_backend) {
		vf_ioctl(v, VF_C_GET_BACKEND_FEATURES,
			 VHOST_GET_BACKEND_FEATURES, &backend);
		backend &= mask;
		vf_ioctl(v, VF_C_SET_BACKEND_FEATURES,
			 VHOST_SET_BACKEND_FEATURES, &backend);
	}
}

/* Close the device (after unmapping its doorbells) and open it again. */
void vf_reopen(struct vf *v)
{
	vf_db_unmap_all(v);
	close(v->fd);
	v->fd = -1;
	v->reopens++;
	vf_check_unpinned(v, "close");
	vf_open(v);
}

static void vf_learn_one(struct vf *v, enum vf_call c, unsigned long req,
			 void *arg)
{
	if (vf_ioctl(v, c, req, arg))
		vf_fail(v, "%s: %s", vf_call_names[c], strerror(errno));
}

/* What the device is, for the checks that it never says otherwise. */
static void vf_learn(struct vf *v)
{
	vf_learn_one(v, VF_C_GET_DEVICE_ID, VHOST_VDPA_GET_DEVICE_ID,
		     &v->device_id);
	vf_learn_one(v, VF_C_GET_VQS_COUNT, VHOST_VDPA_GET_VQS_COUNT,
		     &v->nvqs);
	vf_learn_one(v, VF_C_GET_GROUP_NUM, VHOST_VDPA_GET_GROUP_NUM,
		     &v->ngroups);
	vf_learn_one(v, VF_C_GET_AS_NUM, VHOST_VDPA_GET_AS_NUM, &v->nas);
	vf_learn_one(v, VF_C_GET_CONFIG_SIZE, VHOST_VDPA_GET_CONFIG_SIZE,
		     &v->config_size);
	vf_learn_one(v, VF_C_GET_VRING_NUM, VHOST_VDPA_GET_VRING_NUM,
		     &v->vq_num_max);
	vf_learn_one(v, VF_C_GET_FEATURES, VHOST_GET_FEATURES,
		     &v->dev_features);
	/* offered to an owner only (vhost_vdpa/log.c): not the device's */
	v->dev_features &= ~VF_BIT(VHOST_F_LOG_ALL);
	vf_learn_one(v, VF_C_GET_BACKEND_FEATURES, VHOST_GET_BACKEND_FEATURES,
		     &v->backend_offer);
	vf_learn_one(v, VF_C_GET_IOVA_RANGE, VHOST_VDPA_GET_IOVA_RANGE,
		     &v->range);
	if (!v->nvqs || !v->vq_num_max)
		vf_fail(v, "the device has %u queues of at most %u entries",
			v->nvqs, v->vq_num_max);
}

static void vf_usage(void)
{
	fprintf(stderr,
		"usage: vhost_fuzz -d /dev/vhost-vdpa-N -s SEED -n COUNT [-v]\n"
		"  -v  print every call's results by errno; twice, trace each operation\n");
	exit(2);
}

static int vf_args(struct vf *v, int argc, char **argv)
{
	char *end;
	int c;

	v->count = 1000;
	while ((c = getopt(argc, argv, "d:s:n:vh")) != -1) {
		switch (c) {
		case 'd':
			v->path = optarg;
			break;
		case 's':
			v->seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg)
				vf_usage();
			break;
		case 'n':
			v->count = strtoul(optarg, &end, 0);
			if (*end || !*optarg)
				vf_usage();
			break;
		case 'v':
			v->verbose++;
			break;
		default:
			vf_usage();
		}
	}
	if (!v->path || optind != argc)
		vf_usage();
	return 0;
}

int main(int argc, char **argv)
{
	static struct vf fuzz;
	struct vf *v = &fuzz;

	vf_g = v;
	v->fd = -1;
	vf_args(v, argc, argv);
	v->rng = v->seed;
	vf_signals();
	if (vf_limit_memlock(v) || vf_mem_init(v))
		return 2;
	vf_check_unpinned(v, "start");
	alarm(VF_WATCHDOG);
	vf_open(v);
	vf_learn(v);
	if (vf_mem_place(v))
		return 2;
	for (v->op = 0; v->op < v->count; v->op++) {
		alarm(VF_WATCHDOG);
		vf_op_run(v);
	}
	/* the last operation stays the one blamed for a failed close */
	v->op = v->count ? v->count - 1 : 0;
	alarm(VF_WATCHDOG);
	vf_db_unmap_all(v);
	close(v->fd);
	vf_check_unpinned(v, "the final close");
	alarm(0);
	if (v->verbose)
		vf_table(v);
	fflush(stdout);
	vf_summary(v, v->count);
	return 0;
}
