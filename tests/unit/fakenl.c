// SPDX-License-Identifier: GPL-2.0
/*
 * fakenl.so: a stand-in kernel for host tests. Preloaded into a vdpa tool
 * (the suite's or iproute2's), it takes over the generic netlink sockets
 * the tool opens and answers the "vdpa" family from a small in-memory
 * state, so both tools can be run on the same replies and their output
 * compared byte for byte, and requests can be checked as sent.
 *
 * Environment:
 *   FAKENL_LOG=FILE      appends each vdpa request: "cmd=N TYPE:HEX ..."
 *   FAKENL_NO_FAMILY=1   there is no "vdpa" family
 *   FAKENL_UPSTREAM=1    a vdpa core without the suite's extensions
 *   FAKENL_DUMP_ERROR=1  dumps fail at their end, with a message
 *   FAKENL_WARN=1        acknowledgements carry a warning
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vdpa.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#define FK_FAMILY	0x1f		/* the "vdpa" family's id */
#define FK_MSG_SIZE	4096
#define FK_QUEUE	32
#define FK_ATTR_MAX	(VDPA_ATTR_EXT_MAX - 1)
#define FK_DEVS		8
#define F(bit)		(1ULL << (bit))

struct fk_msg {
	size_t len;
	char data[FK_MSG_SIZE] __attribute__((aligned(8)));
};

struct fk_sock {
	int fd;			/* -1: no fake socket open */
	uint32_t port;
	bool ext_ack;		/* NETLINK_EXT_ACK */
	bool cap_ack;		/* NETLINK_CAP_ACK */
	struct fk_msg queue[FK_QUEUE];
	unsigned int head, tail;
};

static struct fk_sock fk = { .fd = -1 };

struct fk_mgmtdev {
	const char *bus;
	const char *name;
	uint64_t classes;
	uint32_t max_vqs;	/* 0: not reported */
	uint64_t features;
};

static const struct fk_mgmtdev fk_mgmtdevs[] = {
	{ NULL, "vdpasim_net", F(1), 3,
	  F(VIRTIO_NET_F_MTU) | F(VIRTIO_NET_F_MAC) | F(VIRTIO_NET_F_STATUS) |
	  F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_CTRL_MAC_ADDR) |
	  F(VIRTIO_F_ANY_LAYOUT) | F(VIRTIO_F_VERSION_1) |
	  F(VIRTIO_F_ACCESS_PLATFORM) | F(34) | F(56) },
	{ "pci", "0000:00:04.0", F(1) | F(2) | F(5), 0,
	  F(VIRTIO_NET_F_CSUM) | F(VIRTIO_NET_F_MQ) | F(28) | F(38) | F(40) |
	  F(41) | F(42) | F(63) },
	{ NULL, "vdpasim_blk", F(2), 1, F(1) | F(6) | F(24) | F(32) },
};

#define FK_NR_MGMTDEVS	(sizeof(fk_mgmtdevs) / sizeof(fk_mgmtdevs[0]))

struct fk_dev {
	char name[64];		/* "": a free slot */
	unsigned int mgmtdev;
	uint32_t id;
	uint32_t vendor;
	uint32_t max_vqs;
	uint16_t max_vq_size;
	uint8_t mac[6];
	uint16_t status;
	uint16_t max_vqp;
	uint16_t mtu;
	uint64_t negotiated;
	uint64_t features;
	uint8_t mode;
	const char *driver;
};

static struct fk_dev fk_devs[FK_DEVS] = {
	{ "vdpa0", 0, 1, 0, 3, 256, { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 },
	  1, 1, 1500, F(VIRTIO_NET_F_MTU) | F(VIRTIO_NET_F_MAC) |
	  F(VIRTIO_NET_F_STATUS) | F(VIRTIO_F_VERSION_1),
	  F(VIRTIO_NET_F_MTU) | F(VIRTIO_NET_F_MAC) | F(VIRTIO_F_VERSION_1),
	  VDPA_DEV_MODE_VHOST, "vhost_vdpa" },
	{ "vdpa1", 1, 1, 0x1af4, 5, 1024,
	  { 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54 },
	  3, 2, 9000, F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ) |
	  F(VIRTIO_F_VERSION_1) | F(50), 0, VDPA_DEV_MODE_VIRTIO, NULL },
	{ "blk0", 2, 2, 0, 1, 128, { 0 }, 0, 0, 0, F(32), F(32),
	  VDPA_DEV_MODE_VIRTIO, "virtio_vdpa" },
};

static bool fk_env(const char *name)
{
	const char *v = getenv(name);

	return v && !strcmp(v, "1");
}

/* Message building */

static struct nlattr *fk_tail(struct fk_msg *m)
{
	return (struct nlattr *)(m->data + NLMSG_ALIGN(m->len));
}

static void fk_put(struct fk_msg *m, uint16_t type, const void *data,
		   size_t len)
{
	struct nlattr *nla = fk_tail(m);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	m->len = NLMSG_ALIGN(m->len) + NLA_ALIGN(nla->nla_len);
	((struct nlmsghdr *)m->data)->nlmsg_len = m->len;
}

static void fk_put_str(struct fk_msg *m, uint16_t type, const char *s)
{
	fk_put(m, type, s, strlen(s) + 1);
}

#define FK_PUT_INT(m, type, bits, v) do {			\
	uint##bits##_t fk_v = (v);				\
	fk_put((m), (type), &fk_v, sizeof(fk_v));		\
} while (0)

static struct fk_msg *fk_new(const struct nlmsghdr *req, uint16_t type,
			     uint16_t flags)
{
	struct fk_msg *m = &fk.queue[fk.tail++ % FK_QUEUE];
	struct nlmsghdr *hdr = (struct nlmsghdr *)m->data;

	memset(m, 0, sizeof(*m));
	hdr->nlmsg_type = type;
	hdr->nlmsg_flags = flags;
	hdr->nlmsg_seq = req->nlmsg_seq;
	hdr->nlmsg_pid = fk.port;
	m->len = NLMSG_HDRLEN;
	hdr->nlmsg_len = m->len;
	return m;
}

static struct fk_msg *fk_genl(const struct nlmsghdr *req, uint8_t cmd,
			      uint16_t flags)
{
	struct fk_msg *m = fk_new(req, req->nlmsg_type, flags);
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	memcpy(m->data + m->len, &g, sizeof(g));
	m->len += GENL_HDRLEN;
	((struct nlmsghdr *)m->data)->nlmsg_len = m->len;
	return m;
}

static void fk_extack(struct fk_msg *m, const char *text)
{
	if (!text || !fk.ext_ack)
		return;
	((struct nlmsghdr *)m->data)->nlmsg_flags |= NLM_F_ACK_TLVS;
	fk_put_str(m, NLMSGERR_ATTR_MSG, text);
}

/* An error (err < 0) or an acknowledgement (0), as the kernel builds them */
static void fk_ack(const struct nlmsghdr *req, int err, const char *text)
{
	struct fk_msg *m = fk_new(req, NLMSG_ERROR, 0);
	size_t payload = sizeof(struct nlmsgerr);
	struct nlmsgerr *e = (void *)(m->data + NLMSG_HDRLEN);

	e->error = err;
	e->msg = *req;
	if (err && !fk.cap_ack) {
		memcpy(m->data + NLMSG_HDRLEN + payload,
		       (const char *)req + NLMSG_HDRLEN,
		       req->nlmsg_len - NLMSG_HDRLEN);
		payload += NLMSG_ALIGN(req->nlmsg_len - NLMSG_HDRLEN);
	} else {
		((struct nlmsghdr *)m->data)->nlmsg_flags |= NLM_F_CAPPED;
	}
	m->len = NLMSG_HDRLEN + payload;
	((struct nlmsghdr *)m->data)->nlmsg_len = m->len;
	fk_extack(m, text);
}

static void fk_done(const struct nlmsghdr *req)
{
	struct fk_msg *m = fk_new(req, NLMSG_DONE, NLM_F_MULTI);
	int err = fk_env("FAKENL_DUMP_ERROR") ? -ENOBUFS : 0;

	memcpy(m->data + m->len, &err, sizeof(err));
	m->len += sizeof(err);
	((struct nlmsghdr *)m->data)->nlmsg_len = m->len;
	if (err)
		fk_extack(m, "fake dump failure");
}

/* Request parsing */

static void fk_parse(const struct nlmsghdr *req, const struct nlattr **tb,
		     int max)
{
	const char *p = (const char *)req + NLMSG_HDRLEN + GENL_HDRLEN;
	const char *end = (const char *)req + req->nlmsg_len;
	const struct nlattr *nla;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	for (; p + NLA_HDRLEN <= end; p += NLA_ALIGN(nla->nla_len)) {
		nla = (const struct nlattr *)p;
		if (nla->nla_len < NLA_HDRLEN || p + nla->nla_len > end)
			break;
		if (nla->nla_type <= max)
			tb[nla->nla_type] = nla;
	}
}

static const void *fk_data(const struct nlattr *nla)
{
	return (const char *)nla + NLA_HDRLEN;
}

static size_t fk_len(const struct nlattr *nla)
{
	return nla->nla_len - NLA_HDRLEN;
}

static bool fk_str_is(const struct nlattr *nla, const char *s)
{
	return nla && !strncmp(fk_data(nla), s, fk_len(nla)) &&
	       strlen(s) + 1 == fk_len(nla);
}

static void fk_log(const struct nlmsghdr *req, uint8_t cmd)
{
	const char *path = getenv("FAKENL_LOG");
	const char *p = (const char *)req + NLMSG_HDRLEN + GENL_HDRLEN;
	const char *end = (const char *)req + req->nlmsg_len;
	const struct nlattr *nla;
	FILE *fp;
	size_t i;

	if (!path)
		return;
	fp = fopen(path, "a");
	if (!fp)
		return;
	fprintf(fp, "cmd=%u", cmd);
	for (; p + NLA_HDRLEN <= end; p += NLA_ALIGN(nla->nla_len)) {
		nla = (const struct nlattr *)p;
		fprintf(fp, " %u:", nla->nla_type);
		for (i = 0; i < fk_len(nla); i++)
			fprintf(fp, "%02x", ((const uint8_t *)fk_data(nla))[i]);
	}
	fputc('\n', fp);
	fclose(fp);
}

/* The control family: only "vdpa" is known */

static void fk_ctrl(const struct nlmsghdr *req)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct fk_msg *m;

	fk_parse(req, tb, CTRL_ATTR_MAX);
	if (fk_env("FAKENL_NO_FAMILY") ||
	    !fk_str_is(tb[CTRL_ATTR_FAMILY_NAME], VDPA_GENL_NAME)) {
		fk_ack(req, -ENOENT, NULL);
		return;
	}
	m = fk_genl(req, CTRL_CMD_NEWFAMILY, 0);
	FK_PUT_INT(m, CTRL_ATTR_FAMILY_ID, 16, FK_FAMILY);
	fk_put_str(m, CTRL_ATTR_FAMILY_NAME, VDPA_GENL_NAME);
	FK_PUT_INT(m, CTRL_ATTR_VERSION, 32, VDPA_GENL_VERSION);
	FK_PUT_INT(m, CTRL_ATTR_HDRSIZE, 32, 0);
	FK_PUT_INT(m, CTRL_ATTR_MAXATTR, 32, VDPA_ATTR_MAX - 1);
	if (req->nlmsg_flags & NLM_F_ACK)
		fk_ack(req, 0, NULL);
}

/* The vdpa family */

static void fk_put_mgmtdev_handle(struct fk_msg *m, unsigned int i)
{
	if (fk_mgmtdevs[i].bus)
		fk_put_str(m, VDPA_ATTR_MGMTDEV_BUS_NAME, fk_mgmtdevs[i].bus);
	fk_put_str(m, VDPA_ATTR_MGMTDEV_DEV_NAME, fk_mgmtdevs[i].name);
}

static void fk_fill_mgmtdev(struct fk_msg *m, unsigned int i)
{
	const struct fk_mgmtdev *md = &fk_mgmtdevs[i];

	fk_put_mgmtdev_handle(m, i);
	FK_PUT_INT(m, VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES, 64, md->classes);
	if (md->max_vqs)
		FK_PUT_INT(m, VDPA_ATTR_DEV_MGMTDEV_MAX_VQS, 32, md->max_vqs);
	FK_PUT_INT(m, VDPA_ATTR_DEV_SUPPORTED_FEATURES, 64, md->features);
}

static void fk_put_dev_handle(struct fk_msg *m, const struct fk_dev *d)
{
	fk_put_str(m, VDPA_ATTR_DEV_NAME, d->name);
	FK_PUT_INT(m, VDPA_ATTR_DEV_ID, 32, d->id);
}

static void fk_fill_dev(struct fk_msg *m, unsigned int i)
{
	const struct fk_dev *d = &fk_devs[i];

	fk_put_dev_handle(m, d);
	fk_put_mgmtdev_handle(m, d->mgmtdev);
	FK_PUT_INT(m, VDPA_ATTR_DEV_VENDOR_ID, 32, d->vendor);
	FK_PUT_INT(m, VDPA_ATTR_DEV_MAX_VQS, 32, d->max_vqs);
	FK_PUT_INT(m, VDPA_ATTR_DEV_MAX_VQ_SIZE, 16, d->max_vq_size);
	FK_PUT_INT(m, VDPA_ATTR_DEV_MIN_VQ_SIZE, 16, 1);
	if (fk_env("FAKENL_UPSTREAM"))
		return;
	FK_PUT_INT(m, VDPA_ATTR_EXT_DEV_MODE, 8, d->mode);
	if (d->driver)
		fk_put_str(m, VDPA_ATTR_EXT_DEV_DRIVER, d->driver);
}

static void fk_fill_config(struct fk_msg *m, unsigned int i)
{
	const struct fk_dev *d = &fk_devs[i];

	fk_put_dev_handle(m, d);
	fk_put(m, VDPA_ATTR_PAD, "\0\0\0", 4);
	if (d->id == 1) {
		fk_put(m, VDPA_ATTR_DEV_NET_CFG_MACADDR, d->mac, 6);
		FK_PUT_INT(m, VDPA_ATTR_DEV_NET_STATUS, 16, d->status);
		FK_PUT_INT(m, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, 16, d->max_vqp);
		FK_PUT_INT(m, VDPA_ATTR_DEV_NET_CFG_MTU, 16, d->mtu);
	}
	FK_PUT_INT(m, VDPA_ATTR_DEV_NEGOTIATED_FEATURES, 64, d->negotiated);
	FK_PUT_INT(m, VDPA_ATTR_DEV_FEATURES, 64, d->features);
}

static int fk_find_dev(const struct nlattr **tb)
{
	int i;

	for (i = 0; i < FK_DEVS; i++)
		if (fk_devs[i].name[0] &&
		    fk_str_is(tb[VDPA_ATTR_DEV_NAME], fk_devs[i].name))
			return i;
	return -1;
}

static int fk_find_mgmtdev(const struct nlattr **tb)
{
	const struct nlattr *bus = tb[VDPA_ATTR_MGMTDEV_BUS_NAME];
	unsigned int i;

	for (i = 0; i < FK_NR_MGMTDEVS; i++)
		if (fk_str_is(tb[VDPA_ATTR_MGMTDEV_DEV_NAME],
			      fk_mgmtdevs[i].name) &&
		    (fk_mgmtdevs[i].bus ? fk_str_is(bus, fk_mgmtdevs[i].bus) :
		     !bus))
			return i;
	return -1;
}

static bool fk_any(unsigned int i)
{
	return i < FK_NR_MGMTDEVS;
}

static bool fk_used(unsigned int i)
{
	return fk_devs[i].name[0];
}

struct fk_table {
	unsigned int count;
	bool (*exists)(unsigned int i);
	void (*fill)(struct fk_msg *m, unsigned int i);
	int (*find)(const struct nlattr **tb);
	const char *missing;	/* the error text of a failed get */
};

static void fk_show(const struct nlmsghdr *req, const struct nlattr **tb,
		    const struct fk_table *t)
{
	uint8_t cmd = ((const struct genlmsghdr *)NLMSG_DATA(req))->cmd;
	unsigned int i;
	int found;

	if (req->nlmsg_flags & NLM_F_DUMP) {
		for (i = 0; i < t->count; i++)
			if (t->exists(i))
				t->fill(fk_genl(req, cmd, NLM_F_MULTI), i);
		fk_done(req);
		return;
	}
	found = t->find(tb);
	if (found < 0) {
		fk_ack(req, -ENODEV, t->missing);
		return;
	}
	t->fill(fk_genl(req, cmd, 0), found);
	fk_ack(req, 0, NULL);
}

static void fk_vstats(const struct nlmsghdr *req, const struct nlattr **tb)
{
	int i = fk_find_dev(tb);
	uint32_t qidx;
	struct fk_msg *m;

	if (i < 0 || !tb[VDPA_ATTR_DEV_QUEUE_INDEX]) {
		fk_ack(req, -EINVAL, "fake: device or queue index missing");
		return;
	}
	memcpy(&qidx, fk_data(tb[VDPA_ATTR_DEV_QUEUE_INDEX]), sizeof(qidx));
	m = fk_genl(req, VDPA_CMD_DEV_VSTATS_GET, 0);
	fk_put_dev_handle(m, &fk_devs[i]);
	FK_PUT_INT(m, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, 16, fk_devs[i].max_vqp);
	FK_PUT_INT(m, VDPA_ATTR_DEV_NEGOTIATED_FEATURES, 64,
		   fk_devs[i].negotiated);
	FK_PUT_INT(m, VDPA_ATTR_DEV_QUEUE_INDEX, 32, qidx);
	fk_put_str(m, VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "received_desc");
	FK_PUT_INT(m, VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 64, 321812 + qidx);
	fk_put_str(m, VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "completed_desc");
	FK_PUT_INT(m, VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 64, 321811 + qidx);
	fk_ack(req, 0, NULL);
}

static uint16_t fk_u16(const struct nlattr *nla, uint16_t dflt)
{
	uint16_t v = dflt;

	if (nla && fk_len(nla) >= sizeof(v))
		memcpy(&v, fk_data(nla), sizeof(v));
	return v;
}

/* What the suite's core refuses, with its messages */
static const char *fk_new_refusal(const struct nlattr **tb)
{
	const struct nlattr *mac = tb[VDPA_ATTR_DEV_NET_CFG_MACADDR];
	const struct nlattr *mode = tb[VDPA_ATTR_EXT_DEV_MODE];
	uint8_t m;

	if (!tb[VDPA_ATTR_DEV_NAME] || !tb[VDPA_ATTR_MGMTDEV_DEV_NAME])
		return "fake: name and management device are required";
	if (mac && fk_len(mac) != 6)
		return "fake: the MAC address must have 6 bytes";
	if (fk_u16(tb[VDPA_ATTR_DEV_NET_CFG_MTU], 1500) < 68)
		return "fake: MTU below 68";
	if (!mode || fk_env("FAKENL_UPSTREAM"))
		return NULL;
	m = *(const uint8_t *)fk_data(mode);
	if (m != VDPA_DEV_MODE_VIRTIO && m != VDPA_DEV_MODE_VHOST)
		return "fake: unknown mode";
	return NULL;
}

static int fk_free_slot(void)
{
	int i;

	for (i = 0; i < FK_DEVS; i++)
		if (!fk_devs[i].name[0])
			return i;
	return -1;
}

static void fk_dev_new(const struct nlmsghdr *req, const struct nlattr **tb)
{
	const char *refusal = fk_new_refusal(tb);
	int md = fk_find_mgmtdev(tb);
	int slot = fk_free_slot();

	if (refusal || md < 0 || slot < 0) {
		fk_ack(req, -EINVAL, refusal ? refusal :
		       "fake: no such management device");
		return;
	}
	if (fk_find_dev(tb) >= 0) {
		fk_ack(req, -EEXIST, "fake: the device exists");
		return;
	}
	fk_devs[slot] = fk_devs[0];
	snprintf(fk_devs[slot].name, sizeof(fk_devs[slot].name), "%.*s",
		 (int)fk_len(tb[VDPA_ATTR_DEV_NAME]),
		 (const char *)fk_data(tb[VDPA_ATTR_DEV_NAME]));
	fk_devs[slot].mgmtdev = md;
	if (tb[VDPA_ATTR_EXT_DEV_MODE])
		fk_devs[slot].mode = *(const uint8_t *)
				     fk_data(tb[VDPA_ATTR_EXT_DEV_MODE]);
	fk_ack(req, 0, fk_env("FAKENL_WARN") ? "fake warning" : NULL);
}

static void fk_dev_change(const struct nlmsghdr *req, const struct nlattr **tb,
			  uint8_t cmd)
{
	int i = fk_find_dev(tb);

	if (i < 0) {
		fk_ack(req, -ENODEV, "fake: no such device");
		return;
	}
	if (cmd == VDPA_CMD_DEV_DEL)
		fk_devs[i].name[0] = '\0';
	fk_ack(req, 0, fk_env("FAKENL_WARN") ? "fake warning" : NULL);
}

static const struct fk_table fk_mgmtdev_table = {
	FK_NR_MGMTDEVS, fk_any, fk_fill_mgmtdev, fk_find_mgmtdev,
	"fake: no such management device"
};
static const struct fk_table fk_dev_table = {
	FK_DEVS, fk_used, fk_fill_dev, fk_find_dev, "fake: no such device"
};
static const struct fk_table fk_config_table = {
	FK_DEVS, fk_used, fk_fill_config, fk_find_dev, "fake: no such device"
};

static void fk_vdpa(const struct nlmsghdr *req)
{
	uint8_t cmd = ((const struct genlmsghdr *)NLMSG_DATA(req))->cmd;
	const struct nlattr *tb[FK_ATTR_MAX + 1];

	fk_parse(req, tb, FK_ATTR_MAX);
	fk_log(req, cmd);
	switch (cmd) {
	case VDPA_CMD_MGMTDEV_GET:
		return fk_show(req, tb, &fk_mgmtdev_table);
	case VDPA_CMD_DEV_GET:
		return fk_show(req, tb, &fk_dev_table);
	case VDPA_CMD_DEV_CONFIG_GET:
		return fk_show(req, tb, &fk_config_table);
	case VDPA_CMD_DEV_VSTATS_GET:
		return fk_vstats(req, tb);
	case VDPA_CMD_DEV_NEW:
		return fk_dev_new(req, tb);
	case VDPA_CMD_DEV_DEL:
	case VDPA_CMD_DEV_ATTR_SET:
		return fk_dev_change(req, tb, cmd);
	default:
		fk_ack(req, -EOPNOTSUPP, NULL);
	}
}

static void fk_request(const void *buf, size_t len)
{
	const struct nlmsghdr *req = buf;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN || req->nlmsg_len > len)
		return;
	if (req->nlmsg_type == GENL_ID_CTRL)
		fk_ctrl(req);
	else if (req->nlmsg_type == FK_FAMILY && !fk_env("FAKENL_NO_FAMILY"))
		fk_vdpa(req);
	else
		fk_ack(req, -ENOENT, NULL);
}

/* The C library's calls, taken over for the fake socket only */

#define FK_REAL(ret, name, ...)						\
	static ret (*real_##name)(__VA_ARGS__);				\
	if (!real_##name)						\
		real_##name = dlsym(RTLD_NEXT, #name)

int socket(int domain, int type, int protocol)
{
	FK_REAL(int, socket, int, int, int);
	int fd;

	if (domain != AF_NETLINK || protocol != NETLINK_GENERIC)
		return real_socket(domain, type, protocol);
	fd = real_socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd >= 0) {
		memset(&fk, 0, sizeof(fk));
		fk.fd = fd;
	}
	return fd;
}

int close(int fd)
{
	FK_REAL(int, close, int);

	if (fd == fk.fd)
		fk.fd = -1;
	return real_close(fd);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	FK_REAL(int, bind, int, const struct sockaddr *, socklen_t);

	if (fd != fk.fd)
		return real_bind(fd, addr, len);
	fk.port = ((const struct sockaddr_nl *)addr)->nl_pid;
	if (!fk.port)
		fk.port = 4242;
	return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	FK_REAL(int, getsockname, int, struct sockaddr *, socklen_t *);
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	if (fd != fk.fd)
		return real_getsockname(fd, addr, len);
	nl.nl_pid = fk.port;
	memcpy(addr, &nl, sizeof(nl));
	*len = sizeof(nl);
	return 0;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	FK_REAL(int, setsockopt, int, int, int, const void *, socklen_t);

	if (fd != fk.fd)
		return real_setsockopt(fd, level, name, val, len);
	if (level == SOL_NETLINK && name == NETLINK_EXT_ACK)
		fk.ext_ack = *(const int *)val;
	if (level == SOL_NETLINK && name == NETLINK_CAP_ACK)
		fk.cap_ack = *(const int *)val;
	return 0;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t alen)
{
	FK_REAL(ssize_t, sendto, int, const void *, size_t, int,
		const struct sockaddr *, socklen_t);

	if (fd != fk.fd)
		return real_sendto(fd, buf, len, flags, addr, alen);
	fk_request(buf, len);
	return len;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	FK_REAL(ssize_t, sendmsg, int, const struct msghdr *, int);
	static char buf[FK_MSG_SIZE] __attribute__((aligned(8)));
	size_t i, len = 0;

	if (fd != fk.fd)
		return real_sendmsg(fd, msg, flags);
	for (i = 0; i < msg->msg_iovlen; i++) {
		if (len + msg->msg_iov[i].iov_len > sizeof(buf))
			break;
		memcpy(buf + len, msg->msg_iov[i].iov_base,
		       msg->msg_iov[i].iov_len);
		len += msg->msg_iov[i].iov_len;
	}
	fk_request(buf, len);
	return len;
}

/* One queued message per call; MSG_PEEK and MSG_TRUNC as the kernel does */
ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	FK_REAL(ssize_t, recvmsg, int, struct msghdr *, int);
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	struct fk_msg *m;
	size_t room;

	if (fd != fk.fd)
		return real_recvmsg(fd, msg, flags);
	if (fk.head == fk.tail) {
		errno = EAGAIN;
		return -1;
	}
	m = &fk.queue[fk.head % FK_QUEUE];
	room = msg->msg_iov[0].iov_len;
	memcpy(msg->msg_iov[0].iov_base, m->data,
	       m->len < room ? m->len : room);
	msg->msg_flags = m->len > room ? MSG_TRUNC : 0;
	msg->msg_controllen = 0;
	if (msg->msg_name) {
		memcpy(msg->msg_name, &nl, sizeof(nl));
		msg->msg_namelen = sizeof(nl);
	}
	if (!(flags & MSG_PEEK))
		fk.head++;
	return (flags & MSG_TRUNC) || m->len <= room ? (ssize_t)m->len :
						      (ssize_t)room;
}
