// SPDX-License-Identifier: GPL-2.0
/*
 * faultinj: make every allocation of one operation fail in turn, and
 * check that each failure is an error to the caller that leaves nothing
 * behind, and that the operation then works.
 *
 *   faultinj [OPTIONS] dev-add NAME MGMTDEV virtio|vhost
 *   faultinj [OPTIONS] open PATH
 *   faultinj [OPTIONS] iotlb PATH
 *   faultinj [OPTIONS] write PATH VALUE CHECK UNDO-PATH UNDO-VALUE
 *
 *   -m MAX      give up (and fail) after MAX tries (default 5000)
 *   -s STRIDE   try only every STRIDEth site ...
 *   -o OFFSET   ... starting at site OFFSET + 1 (0 <= OFFSET < STRIDE),
 *               for an operation with too many sites to try each on
 *               every run: successive runs with other offsets cover all
 *   -v          a line per site
 *
 * The kernel's fail-nth (/proc/thread-self/fail-nth, CONFIG_FAULT_INJECTION)
 * fails the Nth fault-injection site the task passes after it is set:
 * with failslab and fail_page_alloc told to include sleeping allocations
 * (the test sets that up), that is the Nth slab or page allocation of the
 * system call that follows. faultinj runs the operation with N = 1, 2,
 * ... (or OFFSET + 1, OFFSET + 1 + STRIDE, ...) until it completes
 * without reaching N: every site was tried.
 *
 * After each try, per operation:
 *   dev-add  (netlink VDPA_CMD_DEV_NEW of MGMTDEV, "vdpasim_net" or
 *            "pci/DOMAIN:BUS:DEV.FN", in the given mode): on an error the
 *            device must not exist (VDPA_CMD_DEV_GET says ENODEV, no
 *            /sys/bus/vdpa/devices/NAME); on success it must, and is
 *            deleted.
 *   open     open(2) of a /dev/vhost-vdpa-N, closed again.
 *   iotlb    a VHOST_IOTLB_UPDATE of 16 pages on an owned device; after
 *            the close, the process must have nothing pinned (VmPin 0).
 *   write    a write of VALUE to the sysfs file PATH (bind a PCI function,
 *            enable SR-IOV): on an error CHECK must not exist, on success
 *            it must, and UNDO-VALUE is written to UNDO-PATH.
 * Then the operation once more without a fault must succeed (and is
 * undone). Prints one line of counts; exits 0 only if every check held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vdpa.h>
#include <linux/vhost.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define FI_PAGES	16
#define FI_IOVA		0x100000ULL

static int verbose;
static int nl_fd = -1;
static uint16_t family;
static uint32_t nl_seq;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "faultinj: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* fail-nth of this thread: set before the call, read after it */
static int nth_fd = -1;

static void nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len)
		die("writing fail-nth: %s", strerror(errno));
}

/* Did the fault fire? fail-nth counts down to 0 when it does. */
static int nth_fired(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		die("reading fail-nth: %s", strerror(errno));
	if (atoi(buf)) {
		nth_set(0);
		return 0;
	}
	return 1;
}

/*
 * End the injection right after the system call under test, so that what
 * the operation does next (reading the reply, cleaning up) is not hit.
 */
static int injecting, fired;

static void inject(unsigned int n)
{
	injecting = !!n;
	fired = 0;
	if (n)
		nth_set(n);
}

static void stop_inject(void)
{
	if (injecting)
		fired = nth_fired();
	injecting = 0;
}

/* --- generic netlink, just what VDPA_CMD_DEV_NEW/GET/DEL need --- */

struct nl_req {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char attrs[512];
};

static void nl_put(struct nl_req *r, uint16_t type, const void *data,
		   size_t len)
{
	struct nlattr *a = (void *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void nl_init(struct nl_req *r, uint16_t type, uint8_t cmd)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nh.nlmsg_seq = ++nl_seq;
	r->gh.cmd = cmd;
	r->gh.version = 1;
}

static int nl_send(struct nl_req *r)
{
	if (send(nl_fd, r, r->nh.nlmsg_len, 0) < 0)
		return -errno;
	return 0;
}

/*
 * Read replies to @seq up to its ack; 0 or the negative errno it
 * carried. @fam_out gets a family id from CTRL_CMD_GETFAMILY's reply.
 */
static int nl_wait(uint32_t seq, uint16_t *fam_out)
{
	char buf[8192];
	struct nlmsghdr *nh;
	struct nlattr *a;
	ssize_t n;
	int len;

	for (;;) {
		n = recv(nl_fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			if (!fam_out)
				continue;
			len = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			a = (void *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
			for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= len;
			     len -= NLA_ALIGN(a->nla_len),
			     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
				if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
					memcpy(fam_out, (char *)a + NLA_HDRLEN, 2);
		}
	}
}

static void nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nl_req r;
	int err;

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0 || bind(nl_fd, (void *)&sa, sizeof(sa)))
		die("netlink socket: %s", strerror(errno));
	nl_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	nl_put(&r, CTRL_ATTR_FAMILY_NAME, VDPA_GENL_NAME,
	       sizeof(VDPA_GENL_NAME));
	if (nl_send(&r))
		die("netlink send: %s", strerror(errno));
	err = nl_wait(r.nh.nlmsg_seq, &family);
	if (err || !family)
		die("no generic netlink family %s: %s", VDPA_GENL_NAME,
		    strerror(-err));
}

/* A request for device @name, with the management device for DEV_NEW. */
static void nl_dev_req(struct nl_req *r, uint8_t cmd, const char *name,
		       const char *mgmt, uint8_t mode)
{
	const char *slash;
	char bus[64];

	nl_init(r, family, cmd);
	nl_put(r, VDPA_ATTR_DEV_NAME, name, strlen(name) + 1);
	if (!mgmt)
		return;
	slash = strchr(mgmt, '/');
	if (slash) {
		snprintf(bus, sizeof(bus), "%.*s", (int)(slash - mgmt), mgmt);
		nl_put(r, VDPA_ATTR_MGMTDEV_BUS_NAME, bus, strlen(bus) + 1);
		mgmt = slash + 1;
	}
	nl_put(r, VDPA_ATTR_MGMTDEV_DEV_NAME, mgmt, strlen(mgmt) + 1);
	nl_put(r, VDPA_ATTR_EXT_DEV_MODE, &mode, 1);
}

static int nl_dev(uint8_t cmd, const char *name)
{
	struct nl_req r;
	int err;

	nl_dev_req(&r, cmd, name, NULL, 0);
	err = nl_send(&r);
	return err ?: nl_wait(r.nh.nlmsg_seq, NULL);
}

/* --- the operations: each returns 0 or a negative errno, and checks --- */

struct op {
	const char *name;
	int (*run)(char **argv, int n);
	int (*check)(char **argv, int err);	/* 0, or 1 if something is left */
	int argc;
};

static int exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static int op_dev_add(char **argv, int n)
{
	uint8_t mode = strcmp(argv[2], "vhost") ? VDPA_DEV_MODE_VIRTIO :
						  VDPA_DEV_MODE_VHOST;
	struct nl_req r;
	int err;

	nl_dev_req(&r, VDPA_CMD_DEV_NEW, argv[0], argv[1], mode);
	inject(n);
	err = nl_send(&r);
	stop_inject();
	return err ?: nl_wait(r.nh.nlmsg_seq, NULL);
}

static int check_dev_add(char **argv, int err)
{
	char path[256];
	int got = nl_dev(VDPA_CMD_DEV_GET, argv[0]), bad = 0;

	snprintf(path, sizeof(path), "/sys/bus/vdpa/devices/%s", argv[0]);
	/*
	 * ENOBUFS: netlink could not allocate the ack, and says so on the
	 * socket instead; the request itself may have been carried out.
	 */
	if (err && err != -ENOBUFS && (got != -ENODEV || exists(path))) {
		fprintf(stderr, "faultinj: dev-add failed (%s), but %s is there (get: %s, sysfs: %d)\n",
			strerror(-err), argv[0], strerror(-got), exists(path));
		bad = 1;
	}
	if (!err && (got || !exists(path))) {
		fprintf(stderr, "faultinj: dev-add succeeded, but %s is not there\n",
			argv[0]);
		return 1;
	}
	if (got == -ENODEV)
		return bad;
	got = nl_dev(VDPA_CMD_DEV_DEL, argv[0]);
	if (got) {
		fprintf(stderr, "faultinj: dev del %s: %s\n", argv[0],
			strerror(-got));
		return 1;
	}
	return bad;
}

static int op_open(char **argv, int n)
{
	int fd;

	inject(n);
	fd = open(argv[0], O_RDWR | O_CLOEXEC);
	stop_inject();
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int check_none(char **argv, int err)
{
	(void)argv;
	(void)err;
	return 0;
}

static long vm_pin_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static int iotlb_msg(int fd, uint8_t type, uint64_t size, void *uaddr)
{
	struct vhost_msg_v2 m = {
		.type = VHOST_IOTLB_MSG_V2,
		.iotlb = {
			.iova = FI_IOVA,
			.size = size,
			.uaddr = (uintptr_t)uaddr,
			.perm = VHOST_ACCESS_RW,
			.type = type,
		},
	};

	return write(fd, &m, sizeof(m)) == sizeof(m) ? 0 : -errno;
}

static int op_iotlb(char **argv, int n)
{
	size_t size = FI_PAGES * (size_t)sysconf(_SC_PAGESIZE);
	uint64_t backend = 1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2;
	int fd, err;
	char *mem;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	fd = open(argv[0], O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open %s: %s", argv[0], strerror(errno));
	if (ioctl(fd, VHOST_SET_OWNER) ||
	    ioctl(fd, VHOST_SET_BACKEND_FEATURES, &backend))
		die("%s: owner or backend features: %s", argv[0],
		    strerror(errno));
	inject(n);
	err = iotlb_msg(fd, VHOST_IOTLB_UPDATE, size, mem);
	stop_inject();
	if (!err && iotlb_msg(fd, VHOST_IOTLB_INVALIDATE, size, NULL))
		die("invalidate: %s", strerror(errno));
	close(fd);
	munmap(mem, size);
	return err;
}

static int check_iotlb(char **argv, int err)
{
	long kib = vm_pin_kib();

	(void)argv;
	if (kib) {
		fprintf(stderr, "faultinj: iotlb (%s): %ld KiB still pinned after the close\n",
			strerror(-err), kib);
		return 1;
	}
	return 0;
}

static int write_file(const char *path, const char *value, int n)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	inject(n);
	if (write(fd, value, len) != (ssize_t)len)
		err = -errno;
	stop_inject();
	close(fd);
	return err;
}

static int op_write(char **argv, int n)
{
	return write_file(argv[0], argv[1], n);
}

static int check_write(char **argv, int err)
{
	int there = exists(argv[2]);

	if (err ? there : !there) {
		fprintf(stderr, "faultinj: write of %s to %s %s, but %s %s\n",
			argv[1], argv[0], err ? "failed" : "succeeded",
			argv[2], there ? "exists" : "does not exist");
		return 1;
	}
	if (!err && write_file(argv[3], argv[4], 0)) {
		fprintf(stderr, "faultinj: undoing with %s: %s\n", argv[3],
			strerror(errno));
		return 1;
	}
	return 0;
}

static const struct op ops[] = {
	{ "dev-add", op_dev_add, check_dev_add, 3 },
	{ "open", op_open, check_none, 1 },
	{ "iotlb", op_iotlb, check_iotlb, 1 },
	{ "write", op_write, check_write, 5 },
};

static void usage(void)
{
	fprintf(stderr,
		"usage: faultinj [-m MAX] [-s STRIDE -o OFFSET] [-v] dev-add NAME MGMTDEV virtio|vhost\n"
		"       faultinj [-m MAX] [-s STRIDE -o OFFSET] [-v] open|iotlb PATH\n"
		"       faultinj [-m MAX] [-s STRIDE -o OFFSET] [-v] write PATH VALUE CHECK UNDO-PATH UNDO-VALUE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int max = 5000, n, failed = 0, absorbed = 0, bad = 0;
	unsigned int enomem = 0, stride = 1, offset = 0, tries = 0;
	const struct op *op = NULL;
	int c, err;
	size_t i;

	while ((c = getopt(argc, argv, "m:s:o:v")) != -1) {
		switch (c) {
		case 'm': max = strtoul(optarg, NULL, 0); break;
		case 's': stride = strtoul(optarg, NULL, 0); break;
		case 'o': offset = strtoul(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(argv[optind], ops[i].name))
			op = &ops[i];
	if (!op || argc - optind - 1 != op->argc || !stride || offset >= stride)
		usage();
	argv += optind + 1;
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0)
		die("/proc/thread-self/fail-nth: %s (a kernel without CONFIG_FAULT_INJECTION?)",
		    strerror(errno));
	nl_open();
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (n = offset + 1; tries < max; n += stride, tries++) {
		err = op->run(argv, n);
		if (!fired && !err) {
			/* the operation got past its last site: done */
			bad += op->check(argv, err);
			break;
		}
		if (!fired) {
			fprintf(stderr, "faultinj: %s failed with no fault injected: %s\n",
				op->name, strerror(-err));
			bad++;
		} else if (err) {
			failed++;
			enomem += err == -ENOMEM;
		} else {
			absorbed++;
		}
		if (verbose)
			printf("faultinj: %s: site %u: %s\n", op->name, n,
			       err ? strerror(-err) : "succeeded");
		bad += op->check(argv, err);
	}
	if (tries == max) {
		fprintf(stderr, "faultinj: %s: still reaching new sites after %u tries\n",
			op->name, max);
		bad++;
	}
	/* and with nothing injected, it works */
	err = op->run(argv, 0);
	if (err) {
		fprintf(stderr, "faultinj: %s without a fault: %s\n", op->name,
			strerror(-err));
		bad++;
	} else {
		bad += op->check(argv, 0);
	}
	printf("faultinj: %s: %u sites, %u of them failed in turn (every %u from %u): %u failed the call (%u with ENOMEM), %u were absorbed; %u problems\n",
	       op->name, n - 1, failed + absorbed, stride, offset + 1,
	       failed, enomem, absorbed, bad);
	return bad ? 1 : 0;
}
