// SPDX-License-Identifier: GPL-2.0
/*
 * The PRNG, the message builder and the generator of hostile messages.
 *
 * Everything here depends on the seed alone, never on what the kernel
 * answered, so that the first N messages of a seed are the same in every
 * run, whatever N is: a failure at message I replays with -n I+1.
 */
#include <stdio.h>
#include <string.h>

#include "nlfuzz.h"

void fz_seed(struct fz_rng *r, uint64_t seed)
{
	/* one splitmix64 step: a small or zero seed still gives a busy state */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	r->s = z ? z : 1;	/* xorshift's state must not be 0 */
}

uint64_t fz_next(struct fz_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return (uint32_t)((fz_next(r) >> 32) % n);
}

bool fz_chance(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

static void fz_bytes(struct fz_rng *r, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len--)
		*p++ = (unsigned char)fz_next(r);
}

/* a random element of an array */
#define FZ_PICK(r, a)	((a)[fz_below(r, sizeof(a) / sizeof((a)[0]))])

/* Builder */

static struct nlmsghdr *fz_nlh(struct fz_msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

void fz_msg_init(struct fz_msg *m, uint16_t type, uint16_t flags,
		 uint8_t cmd, uint8_t version, uint16_t reserved)
{
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	memset(m->buf, 0, FZ_HDRLEN);
	fz_nlh(m)->nlmsg_type = type;
	fz_nlh(m)->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = version;
	g->reserved = reserved;
	m->len = FZ_HDRLEN;
	m->type = type;
	m->flags = flags;
	m->cmd = cmd;
	m->reserved = reserved;
	m->framed = true;
	m->shape[0] = '\0';
}

/* an attribute header claiming nla_len, then len bytes of data */
static bool fz_put_raw(struct fz_msg *m, uint16_t type, uint16_t nla_len,
		       const void *data, size_t len)
{
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	if (m->len + total > FZ_MSG_MAX)
		return false;
	a->nla_len = nla_len;
	a->nla_type = type;
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0,
	       total - NLA_HDRLEN - len);
	m->len += total;
	return true;
}

bool fz_put(struct fz_msg *m, uint16_t type, const void *data, size_t len)
{
	if (NLA_HDRLEN + len > 0xffff)
		return false;
	return fz_put_raw(m, type, NLA_HDRLEN + len, data, len);
}

bool fz_put_str(struct fz_msg *m, uint16_t type, const char *s)
{
	return fz_put(m, type, s, strlen(s) + 1);
}

bool fz_put_u8(struct fz_msg *m, uint16_t type, uint8_t v)
{
	return fz_put(m, type, &v, sizeof(v));
}

bool fz_put_u16(struct fz_msg *m, uint16_t type, uint16_t v)
{
	return fz_put(m, type, &v, sizeof(v));
}

bool fz_put_u32(struct fz_msg *m, uint16_t type, uint32_t v)
{
	return fz_put(m, type, &v, sizeof(v));
}

bool fz_put_u64(struct fz_msg *m, uint16_t type, uint64_t v)
{
	return fz_put(m, type, &v, sizeof(v));
}

void fz_msg_end(struct fz_msg *m)
{
	fz_nlh(m)->nlmsg_len = (uint32_t)m->len;
}

static void fz_shape(struct fz_msg *m, const char *what)
{
	size_t n = strlen(m->shape);

	snprintf(m->shape + n, sizeof(m->shape) - n, "%s%s",
		 n ? "," : "", what);
}

/* Values */

void fz_gen_mac(struct fz_rng *r, uint8_t mac[6])
{
	fz_bytes(r, mac, 6);
	mac[0] = (mac[0] & 0xfe) | 0x02;	/* unicast, local */
}

/* a device name: mostly ours, sometimes one the kernel must refuse */
static void fz_gen_dev_name(struct fz_rng *r, char *buf, size_t size,
			    size_t *len)
{
	size_t i, n;

	switch (fz_below(r, 20)) {
	case 0:	/* "fz" and garbage: may be valid, then still ours */
		n = 2 + fz_below(r, 70);
		fz_bytes(r, buf, n);
		memcpy(buf, FZ_PREFIX, 2);
		buf[n] = '\0';
		*len = n + 1;
		return;
	case 1:
	case 2:	/* overlong: 64 characters and more */
		n = 64 + fz_below(r, 200);
		memset(buf, 'f', n);
		buf[n] = '\0';
		*len = n + 1;
		return;
	case 3:
	case 4:	/* unterminated */
		n = 1 + fz_below(r, 40);
		for (i = 0; i < n; i++)
			buf[i] = (char)(1 + fz_below(r, 255));
		*len = n;
		return;
	case 5:
	case 6:	/* empty, or a path */
		*len = (size_t)snprintf(buf, size, "%s",
					fz_chance(r, 50) ? "" : "fz/0") + 1;
		return;
	}
	snprintf(buf, size, FZ_PREFIX "%u", fz_below(r, FZ_NAMES));
	*len = strlen(buf) + 1;
}

/*
 * Management device names. A dev add naming one that is not there has
 * the kernel run modprobe for "vdpa-mgmtdev-NAME" (or -BUS, if a bus
 * name is given): a process, a second or more on a busy emulated
 * machine. Such names are long enough that the module name is over
 * MODULE_NAME_LEN and the kernel gives up before modprobe, but for one
 * dev add in a thousand.
 */
static const char *const fz_mgmt_names[] = {
	FZ_MGMTDEV, FZ_MGMTDEV, FZ_MGMTDEV, FZ_MGMTDEV, FZ_MGMTDEV,
	FZ_MGMTDEV, FZ_MGMTDEV,
	"vdpasim_net-that-is-not-there-and-too-long-a-module-name",
	"VDPASIM_NET-that-is-not-there-and-too-long-a-module-name",
	"0000:00:00.0/vdpasim_net/and-far-too-long-for-a-module-name",
};

static const char *const fz_mgmt_short[] = {
	"", "vdpasim_blk", "0000:00:00.0", "vdpasim_net\n", "VDPASIM_NET",
};

static const char *fz_gen_mgmtdev(struct fz_rng *r, const struct fz_msg *m)
{
	if (m->cmd == VDPA_CMD_DEV_NEW ? !fz_below(r, 1000) : fz_chance(r, 10))
		return FZ_PICK(r, fz_mgmt_short);
	return FZ_PICK(r, fz_mgmt_names);
}

/* bus names: the simulator's device has none, so each is not found */
static const char *const fz_bus_names[] = {
	"pci-and-far-too-long-a-bus-name-for-a-module-name-at-all",
	"vdpa-and-far-too-long-a-bus-name-for-a-module-name-at-all",
};

static const char *const fz_bus_short[] = { "pci", "vdpa", "", "platform" };

static const char *fz_gen_bus(struct fz_rng *r, const struct fz_msg *m)
{
	if (m->cmd == VDPA_CMD_DEV_NEW ? !fz_below(r, 1000) : fz_chance(r, 50))
		return FZ_PICK(r, fz_bus_short);
	return FZ_PICK(r, fz_bus_names);
}

static uint64_t fz_gen_features(struct fz_rng *r)
{
	switch (fz_below(r, 6)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return fz_next(r);
	case 3:	/* no VIRTIO_F_VERSION_1 */
		return fz_next(r) & 0xffffff;
	}
	/* VERSION_1 and a random choice of net device bits */
	return (1ULL << 32) | (fz_next(r) & 0xffffff);
}

static const uint16_t fz_u16s[] = { 0, 1, 2, 8, 9, 67, 68, 1500, 9000, 9001,
				    0x7fff, 0xffff };
static const uint32_t fz_qidx[] = { 0, 1, 2, 3, 16, 17, 0x7fffffff,
				    0xffffffff };
static const uint8_t fz_modes[] = { 0, 1, 2, 3, 255, 1, 2 };

/* A well-formed value of the right type for a known attribute. */
static bool fz_put_good(struct fz_rng *r, struct fz_msg *m, uint16_t type)
{
	uint8_t mac[8] = { 0 };	/* sent 5 to 7 bytes long */
	char name[300];
	size_t len;

	switch (type) {
	case VDPA_ATTR_MGMTDEV_BUS_NAME:
		return fz_put_str(m, type, fz_gen_bus(r, m));
	case VDPA_ATTR_MGMTDEV_DEV_NAME:
		return fz_put_str(m, type, fz_gen_mgmtdev(r, m));
	case VDPA_ATTR_DEV_NAME:
		fz_gen_dev_name(r, name, sizeof(name), &len);
		return fz_put(m, type, name, len);
	case VDPA_ATTR_DEV_NET_CFG_MACADDR:
		fz_gen_mac(r, mac);
		if (fz_chance(r, 15))
			mac[0] |= 1;			/* multicast */
		else if (fz_chance(r, 10))
			memset(mac, 0, sizeof(mac));
		/* and sometimes one byte short or long */
		return fz_put(m, type, mac, fz_chance(r, 90) ? 6 :
			      5 + 2 * fz_below(r, 2));
	case VDPA_ATTR_DEV_NET_CFG_MAX_VQP:
	case VDPA_ATTR_DEV_NET_CFG_MTU:
	case VDPA_ATTR_DEV_MAX_VQ_SIZE:
	case VDPA_ATTR_DEV_MIN_VQ_SIZE:
	case VDPA_ATTR_DEV_NET_STATUS:
		return fz_put_u16(m, type, fz_chance(r, 80) ?
				  FZ_PICK(r, fz_u16s) : (uint16_t)fz_next(r));
	case VDPA_ATTR_DEV_QUEUE_INDEX:
	case VDPA_ATTR_DEV_ID:
	case VDPA_ATTR_DEV_VENDOR_ID:
	case VDPA_ATTR_DEV_MAX_VQS:
		return fz_put_u32(m, type, fz_chance(r, 80) ?
				  FZ_PICK(r, fz_qidx) : (uint32_t)fz_next(r));
	case VDPA_ATTR_DEV_FEATURES:
	case VDPA_ATTR_DEV_NEGOTIATED_FEATURES:
	case VDPA_ATTR_DEV_SUPPORTED_FEATURES:
	case VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES:
		return fz_put_u64(m, type, fz_gen_features(r));
	case VDPA_ATTR_EXT_DEV_MODE:
		return fz_put_u8(m, type, FZ_PICK(r, fz_modes));
	case VDPA_ATTR_EXT_DEV_DRIVER:
	case VDPA_ATTR_DEV_VENDOR_ATTR_NAME:
		return fz_put_str(m, type, fz_chance(r, 50) ? "virtio_vdpa" :
				  "received_desc");
	}
	return fz_put_u64(m, type, fz_next(r));
}

/* the attributes requests carry, and what replies carry */
static const uint16_t fz_known[] = {
	VDPA_ATTR_MGMTDEV_DEV_NAME, VDPA_ATTR_DEV_NAME, VDPA_ATTR_DEV_NAME,
	VDPA_ATTR_DEV_NET_CFG_MACADDR, VDPA_ATTR_DEV_NET_CFG_MAX_VQP,
	VDPA_ATTR_DEV_NET_CFG_MTU, VDPA_ATTR_DEV_QUEUE_INDEX,
	VDPA_ATTR_DEV_FEATURES, VDPA_ATTR_EXT_DEV_MODE,
	VDPA_ATTR_MGMTDEV_BUS_NAME, VDPA_ATTR_DEV_ID,
	VDPA_ATTR_DEV_NEGOTIATED_FEATURES, VDPA_ATTR_DEV_MAX_VQ_SIZE,
	VDPA_ATTR_DEV_VENDOR_ATTR_NAME, VDPA_ATTR_EXT_DEV_DRIVER,
	VDPA_ATTR_DEV_NET_STATUS,
};

static uint16_t fz_gen_type(struct fz_rng *r)
{
	switch (fz_below(r, 10)) {
	case 0:
		return VDPA_ATTR_EXT_BASE + fz_below(r, 4);
	case 1:
		return (uint16_t)fz_below(r, NLA_TYPE_MASK + 1);
	case 2:	/* with NLA_F_NESTED or NLA_F_NET_BYTEORDER, or both */
		return (uint16_t)fz_next(r);
	}
	return (uint16_t)fz_below(r, VDPA_ATTR_MAX + 6);
}

/* a payload length: 0, tiny, odd, sometimes a few KiB */
static size_t fz_gen_len(struct fz_rng *r)
{
	switch (fz_below(r, 8)) {
	case 0:
		return 0;
	case 1:
		return 1 + fz_below(r, 3);
	case 2:
		return 2 * fz_below(r, 40) + 1;
	case 3:
		return fz_chance(r, 30) ? 256 + fz_below(r, 4096) : 8;
	}
	return fz_below(r, 33);
}

static bool fz_put_random(struct fz_rng *r, struct fz_msg *m)
{
	unsigned char data[4400];
	size_t len = fz_gen_len(r);

	fz_bytes(r, data, len);
	return fz_put(m, fz_gen_type(r), data, len);
}

/* a nested attribute with garbage inside, lying lengths included */
static bool fz_put_nest(struct fz_rng *r, struct fz_msg *m)
{
	unsigned char data[512] = { 0 };	/* padding included */
	size_t len = 0, n;
	struct nlattr *a;

	while (len < 400 && fz_chance(r, 75)) {
		n = fz_below(r, 24);
		a = (struct nlattr *)(data + len);
		a->nla_type = fz_gen_type(r);
		a->nla_len = (uint16_t)(NLA_HDRLEN + n);
		if (fz_chance(r, 10))
			a->nla_len = (uint16_t)fz_next(r);
		fz_bytes(r, data + len + NLA_HDRLEN, n);
		len += NLA_ALIGN(NLA_HDRLEN + n);
	}
	if (fz_chance(r, 12)) {	/* and a ragged tail */
		n = 1 + fz_below(r, 3);
		fz_bytes(r, data + len, n);
		len += n;
	}
	return fz_put(m, fz_gen_type(r) | NLA_F_NESTED, data, len);
}

/* a last attribute whose nla_len runs past the end, or is below 4 */
static void fz_put_liar(struct fz_rng *r, struct fz_msg *m)
{
	unsigned char data[16];
	size_t len = fz_below(r, sizeof(data));
	uint16_t nla_len;

	fz_bytes(r, data, len);
	if (fz_chance(r, 50))
		nla_len = (uint16_t)(NLA_HDRLEN + len + 1 + fz_below(r, 300));
	else
		nla_len = (uint16_t)fz_below(r, NLA_HDRLEN);
	fz_put_raw(m, fz_gen_type(r), nla_len, data, len);
}

static uint8_t fz_gen_cmd(struct fz_rng *r)
{
	unsigned int v = fz_below(r, 100);

	if (v < 88)
		return (uint8_t)fz_below(r, FZ_CMD_LAST + 1);
	if (v < 96)
		return (uint8_t)(FZ_CMD_LAST + 1 + fz_below(r, 4));
	return (uint8_t)fz_next(r);
}

static uint16_t fz_gen_flags(struct fz_rng *r)
{
	uint16_t f = 0;

	if (fz_chance(r, 92))
		f |= NLM_F_REQUEST;
	if (fz_chance(r, 50))
		f |= NLM_F_ACK;
	if (fz_chance(r, 25))
		f |= NLM_F_DUMP;
	else if (fz_chance(r, 4))	/* half a dump */
		f |= fz_chance(r, 50) ? NLM_F_ROOT : NLM_F_MATCH;
	if (fz_chance(r, 8))
		f |= (uint16_t)fz_next(r);
	return f;
}

/*
 * Only our family, control messages and ids no generic netlink family
 * can have (ids end at 1023): never garbage to another family.
 */
static uint16_t fz_gen_msg_type(struct fz_rng *r, uint16_t family)
{
	unsigned int v = fz_below(r, 100);

	if (v < 2)
		return (uint16_t)fz_below(r, NLMSG_MIN_TYPE);
	if (v < 5)
		return (uint16_t)(1024 + fz_below(r, 0xffff - 1024));
	return family;
}

/* the attributes a command needs, well-formed: reach its deeper code */
static void fz_put_base(struct fz_rng *r, struct fz_msg *m)
{
	switch (m->cmd) {
	case VDPA_CMD_DEV_NEW:
		fz_put_good(r, m, VDPA_ATTR_DEV_NAME);
		if (fz_chance(r, 95))
			fz_put_str(m, VDPA_ATTR_MGMTDEV_DEV_NAME, FZ_MGMTDEV);
		else
			fz_put_good(r, m, VDPA_ATTR_MGMTDEV_DEV_NAME);
		return;
	case VDPA_CMD_MGMTDEV_GET:
		fz_put_good(r, m, VDPA_ATTR_MGMTDEV_DEV_NAME);
		return;
	case VDPA_CMD_DEV_ATTR_SET:
		fz_put_good(r, m, VDPA_ATTR_DEV_NET_CFG_MACADDR);
		fz_put_good(r, m, VDPA_ATTR_DEV_NAME);
		return;
	case VDPA_CMD_DEV_VSTATS_GET:
		fz_put_good(r, m, VDPA_ATTR_DEV_QUEUE_INDEX);
		fz_put_good(r, m, VDPA_ATTR_DEV_NAME);
		return;
	}
	fz_put_good(r, m, VDPA_ATTR_DEV_NAME);
}

/* attributes: known ones well-formed, random, nested, duplicated */
static void fz_put_attrs(struct fz_rng *r, struct fz_msg *m, unsigned int n)
{
	size_t last = 0, last_len = 0;
	unsigned char copy[4400];
	bool ok = true;

	while (n-- && ok) {
		size_t at = m->len;

		switch (fz_below(r, 10)) {
		case 0:
		case 1:
		case 2:
		case 3:
			/* a known attribute, a device name more often */
			ok = fz_put_good(r, m, fz_below(r, 8) ?
					 FZ_PICK(r, fz_known) :
					 VDPA_ATTR_DEV_NAME);
			break;
		case 4:
		case 5:
		case 6:
			ok = fz_put_random(r, m);
			break;
		case 7:
			ok = fz_put_nest(r, m);
			break;
		default:
			if (!last_len || last_len > sizeof(copy)) {
				ok = fz_put_random(r, m);
				break;
			}
			/* the same attribute again, sometimes changed */
			memcpy(copy, m->buf + last, last_len);
			if (fz_chance(r, 50) && last_len > NLA_HDRLEN)
				copy[NLA_HDRLEN + fz_below(r, last_len -
						NLA_HDRLEN)] ^= 1;
			ok = m->len + last_len <= FZ_MSG_MAX;
			if (ok) {
				memcpy(m->buf + m->len, copy, last_len);
				m->len += last_len;
			}
		}
		if (ok) {
			last = at;
			last_len = m->len - at;
		}
	}
}

/* cut the headers short, or make nlmsg_len lie */
static void fz_break_header(struct fz_rng *r, struct fz_msg *m)
{
	struct nlmsghdr *nlh = fz_nlh(m);
	size_t len;

	switch (fz_below(r, 4)) {
	case 0:
		/*
		 * Truncated genlmsghdr or nlmsghdr, length true. Not empty:
		 * the socket refuses that (ENODATA) before any family.
		 */
		m->len = 1 + fz_below(r, FZ_HDRLEN - 1);
		if (m->len >= sizeof(nlh->nlmsg_len))
			nlh->nlmsg_len = (uint32_t)m->len;
		m->framed = m->len >= NLMSG_HDRLEN;
		m->cmd = -1;
		fz_shape(m, "short");
		return;
	case 1:	/* longer than sent: the kernel drops it */
		nlh->nlmsg_len = (uint32_t)(m->len + 1 + fz_below(r, 5000));
		fz_shape(m, "len>sent");
		break;
	case 2:	/* below a header: the kernel drops it */
		nlh->nlmsg_len = fz_below(r, NLMSG_HDRLEN);
		fz_shape(m, "len<hdr");
		break;
	default:
		/*
		 * Shorter than sent: the kernel reads the first nlmsg_len
		 * bytes, and leaves less than a header behind (so it never
		 * takes the rest for a message to some other family).
		 */
		len = m->len > NLMSG_HDRLEN + NLMSG_ALIGNTO ?
		      m->len - 1 - fz_below(r, NLMSG_HDRLEN - 1) : m->len;
		if (len < NLMSG_HDRLEN)
			len = NLMSG_HDRLEN;
		nlh->nlmsg_len = (uint32_t)len;
		if (len < FZ_HDRLEN)
			m->cmd = -1;
		fz_shape(m, "len<sent");
	}
	m->framed = false;
}

/*
 * A clean message: well-formed headers and only attributes of the
 * family's policy, well-formed (values still hostile), so that it gets
 * past validation to the handlers.
 */
static void fz_gen_clean(struct fz_rng *r, struct fz_msg *m, uint16_t family)
{
	static const uint16_t policy[] = {
		VDPA_ATTR_MGMTDEV_DEV_NAME, VDPA_ATTR_DEV_NAME,
		VDPA_ATTR_DEV_NET_CFG_MACADDR, VDPA_ATTR_DEV_NET_CFG_MAX_VQP,
		VDPA_ATTR_DEV_NET_CFG_MTU, VDPA_ATTR_DEV_QUEUE_INDEX,
		VDPA_ATTR_DEV_FEATURES, VDPA_ATTR_EXT_DEV_MODE,
	};
	uint16_t flags = NLM_F_REQUEST;
	unsigned int n = fz_below(r, 4);

	if (fz_chance(r, 50))
		flags |= NLM_F_ACK;
	if (fz_chance(r, 20))
		flags |= NLM_F_DUMP;
	fz_msg_init(m, family, flags, fz_gen_cmd(r), VDPA_GENL_VERSION, 0);
	fz_put_base(r, m);
	while (n--)
		fz_put_good(r, m, FZ_PICK(r, policy));
	fz_msg_end(m);
	fz_shape(m, "clean");
}

void fz_gen(struct fz_rng *r, struct fz_msg *m, uint16_t family)
{
	uint16_t type = fz_gen_msg_type(r, family);
	uint16_t flags = fz_gen_flags(r);
	uint8_t cmd = fz_gen_cmd(r);
	uint8_t version = fz_chance(r, 70) ? VDPA_GENL_VERSION :
			  (uint8_t)fz_next(r);
	uint16_t reserved = fz_chance(r, 85) ? 0 : (uint16_t)fz_next(r);
	unsigned int n = fz_chance(r, 90) ? fz_below(r, 7) : fz_below(r, 40);
	bool base = fz_chance(r, 45);

	if (fz_chance(r, 12)) {
		fz_gen_clean(r, m, family);
		return;
	}
	fz_msg_init(m, type, flags, cmd, version, reserved);
	if (base) {
		fz_put_base(r, m);
		fz_shape(m, "base");
	}
	fz_put_attrs(r, m, n);
	if (fz_chance(r, 4)) {
		fz_put_liar(r, m);
		fz_shape(m, "nla_len-lies");
	}
	fz_msg_end(m);
	if (fz_chance(r, 5))
		fz_break_header(r, m);
	if (type != family)
		fz_shape(m, "other-type");
}
