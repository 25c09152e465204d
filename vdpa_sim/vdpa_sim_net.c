// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_sim_net: a virtio-net device on the vdpa_sim core, management
 * device "vdpasim_net". Every frame sent on TX queue 2k+1 comes back,
 * intact and in order, on RX queue 2k; the control queue (index
 * 2 * max_vqp) takes MAC, MQ and RX-mode commands.
 *
 * Each queue pair is a lane of its own (two queues per lane), so pairs
 * run in parallel, and the control queue is the last lane. The device's
 * state (MAC, queue pairs in use) is written only by the control queue's
 * lane and by the hooks and dev_set_attr, which hold the vdpa_sim lock
 * for writing; the data lanes never read it.
 */
#include <linux/module.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/virtio_byteorder.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_ring.h>

#include "vdpa_sim.h"

#define VDPASIM_NET_NAME	"vdpasim_net"
#define VDPASIM_NET_MAX_VQP	8
#define VDPASIM_NET_MIN_MTU	68
#define VDPASIM_NET_MAX_MTU	9000
#define VDPASIM_NET_DEF_MTU	1500
#define VDPASIM_NET_VQ_NUM	256
#define VDPASIM_NET_CVQ_NUM	64
/* chains one queue handles per run of the work function */
#define VDPASIM_NET_BUDGET	64
/* the largest Ethernet frame, after the virtio-net header, carried */
#define VDPASIM_NET_MAX_FRAME	(VDPASIM_NET_MAX_MTU + ETH_HLEN + VLAN_HLEN)

#define VDPASIM_NET_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) |		\
				 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |	\
				 BIT_ULL(VIRTIO_F_ANY_LAYOUT) |		\
				 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |	\
				 BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |	\
				 BIT_ULL(VIRTIO_NET_F_MAC) |		\
				 BIT_ULL(VIRTIO_NET_F_MTU) |		\
				 BIT_ULL(VIRTIO_NET_F_STATUS) |		\
				 BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |	\
				 BIT_ULL(VIRTIO_NET_F_CTRL_RX) |	\
				 BIT_ULL(VIRTIO_NET_F_CTRL_MAC_ADDR) |	\
				 BIT_ULL(VIRTIO_NET_F_MQ) |		\
				 BIT_ULL(VIRTIO_NET_F_MRG_RXBUF))

/*
 * What a device offers when `vdpa dev add` names no device_features: all
 * of the above but indirect descriptors and RX-mode control, which
 * QEMU 7.2's shadow virtqueues (-netdev vhost-vdpa,x-svq=on, Debian 12's
 * only way to migrate a VM on vhost-vdpa) refuse to work with ("vdpa svq
 * does not work with features 0x40000", then "SVQ Invalid device feature
 * flags"): a device added plainly must be migratable by every QEMU.
 * QEMU 8.1 and newer take both (sid's 11.1 migrates a device offering
 * them); ask for them with device_features 0x338c78028, everything the
 * simulator supports (mgmtdev show lists it).
 */
#define VDPASIM_NET_DEFAULT_FEATURES (VDPASIM_NET_FEATURES &		\
				      ~(BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) | \
					BIT_ULL(VIRTIO_NET_F_CTRL_RX)))

/* features that only work through the control queue */
#define VDPASIM_NET_CVQ_FEATURES (BIT_ULL(VIRTIO_NET_F_CTRL_RX) |	\
				  BIT_ULL(VIRTIO_NET_F_CTRL_MAC_ADDR) |	\
				  BIT_ULL(VIRTIO_NET_F_MQ))

/* queue groups: the data queues, and the control queue on its own */
#define VDPASIM_NET_DATA_GROUP	0
#define VDPASIM_NET_CVQ_GROUP	1
#define VDPASIM_NET_GROUPS	2
#define VDPASIM_NET_AS		2

/**
 * struct vdpasim_net - a simulated virtio-net device
 * @sim: the simulator device
 * @mac: the MAC address
 * @mtu: the MTU the device reports
 * @max_vqp: the number of queue pairs
 * @curr_qps: the queue pairs the driver uses (VIRTIO_NET_CTRL_MQ)
 * @cvq: the device has a control queue
 */
struct vdpasim_net {
	struct vdpasim sim;
	u8 mac[ETH_ALEN];
	u16 mtu;
	u16 max_vqp;
	u16 curr_qps;
	bool cvq;
};

static_assert(offsetof(struct vdpasim_net, sim) == 0);

/**
 * struct vdpasim_net_params - what a new device is provisioned with
 * @features: device features
 * @mac: MAC address
 * @mtu: MTU
 * @max_vqp: queue pairs
 */
struct vdpasim_net_params {
	u64 features;
	u8 mac[ETH_ALEN];
	u16 mtu;
	u16 max_vqp;
};

static struct vdpasim_net *sim_to_net(struct vdpasim *sim)
{
	return container_of(sim, struct vdpasim_net, sim);
}

static u16 vdpasim_net_cvq_index(const struct vdpasim_net *net)
{
	return 2 * net->max_vqp;
}

static bool vdpasim_net_is_cvq(const struct vdpasim_net *net, u16 idx)
{
	return net->cvq && idx == vdpasim_net_cvq_index(net);
}

static u32 vdpasim_net_hdr_len(const struct vdpasim *sim)
{
	if (vdpasim_has_feature(sim, VIRTIO_F_VERSION_1) ||
	    vdpasim_has_feature(sim, VIRTIO_NET_F_MRG_RXBUF))
		return sizeof(struct virtio_net_hdr_mrg_rxbuf);
	return sizeof(struct virtio_net_hdr);
}

/*
 * Take the RX chains a frame of @need bytes fills. Returns how many,
 * left taken with @rx describing the last; 0 if the frame cannot fit
 * (nothing taken); -EAGAIN if RX ran out (nothing taken); -EIO if a
 * queue failed.
 */
static int vdpasim_net_rx_take(struct vdpasim *sim,
			       struct vdpasim_virtqueue *rxq, u32 need,
			       struct vdpasim_chain *rx)
{
	bool mrg = vdpasim_has_feature(sim, VIRTIO_NET_F_MRG_RXBUF);
	u32 hdr_len = vdpasim_net_hdr_len(sim);
	u64 room = 0;
	int n = 0, err;

	while (room < need) {
		err = vdpasim_vq_pop(rxq, rx);
		if (err) {
			vdpasim_vq_unpop(rxq, n);
			return err;
		}
		n++;
		if (rx->nout || (mrg && rx->in_len < hdr_len)) {
			vdpasim_vq_fail(rxq, "bad receive buffer (readable or short)");
			return -EIO;
		}
		room += rx->in_len;
		/* without mergeable buffers a frame has one chain */
		if (!mrg)
			break;
	}
	if (room < need) {
		vdpasim_vq_unpop(rxq, n);
		return 0;
	}
	return n;
}

/*
 * Write the frame at @src into the @n RX chains vdpasim_net_rx_take()
 * took: a fresh header saying how many, then the packet, straight from
 * the TX buffers.
 */
static int vdpasim_net_rx_fill(struct vdpasim *sim,
			       struct vdpasim_virtqueue *rxq, int n,
			       struct vdpasim_chain *rx,
			       struct vdpasim_iter *src, u32 pkt_len)
{
	struct virtio_net_hdr_mrg_rxbuf hdr = {
		.hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE,
		.num_buffers = __cpu_to_virtio16(true, n),
	};
	u32 hdr_len = vdpasim_net_hdr_len(sim);
	struct vdpasim_iter dst;
	u32 written;
	ssize_t ret;
	int i;

	/* the common single-chain case keeps the chain just parsed */
	if (n > 1)
		vdpasim_vq_unpop(rxq, n);
	for (i = 0; i < n; i++) {
		if (n > 1 && vdpasim_vq_pop(rxq, rx))
			return -EIO;
		vdpasim_iter_init(&dst, rxq, rx, true);
		written = 0;
		if (!i) {
			ret = vdpasim_iter_write(&dst, &hdr, hdr_len);
			if (ret < 0)
				return -EIO;
			written = ret;
		}
		ret = vdpasim_iter_copy(&dst, src, pkt_len);
		if (ret < 0)
			return -EIO;
		pkt_len -= ret;
		vdpasim_vq_push(rxq, rx->head, written + ret);
	}
	return 0;
}

/*
 * Loop one TX chain back. Returns 0 when done with it (delivered, or
 * dropped as malformed), -EAGAIN to retry it once RX is refilled, -EIO
 * when a queue failed.
 */
static int vdpasim_net_loop_one(struct vdpasim *sim,
				struct vdpasim_virtqueue *rxq,
				struct vdpasim_virtqueue *txq,
				const struct vdpasim_chain *tx)
{
	u32 hdr_len = vdpasim_net_hdr_len(sim);
	struct vdpasim_chain rx;
	struct vdpasim_iter src;
	int n;

	if (tx->nin) {
		vdpasim_vq_fail(txq, "transmit buffer device-writable");
		return -EIO;
	}
	if (tx->out_len < hdr_len || tx->out_len - hdr_len > VDPASIM_NET_MAX_FRAME)
		return 0;
	/* with the same header size both ways, the RX frame is as long */
	n = vdpasim_net_rx_take(sim, rxq, tx->out_len, &rx);
	if (n <= 0)
		return n;
	vdpasim_iter_init(&src, txq, tx, false);
	vdpasim_iter_skip(&src, hdr_len);
	return vdpasim_net_rx_fill(sim, rxq, n, &rx, &src,
				   tx->out_len - hdr_len);
}

/* One batch on a queue pair; true if the work function should run again. */
static bool vdpasim_net_pair(struct vdpasim *sim, u16 pair)
{
	struct vdpasim_virtqueue *rxq = vdpasim_vq(sim, 2 * pair);
	struct vdpasim_virtqueue *txq = vdpasim_vq(sim, 2 * pair + 1);
	int budget = VDPASIM_NET_BUDGET, err = 0;
	bool stalled = false, rx_more, tx_more;
	struct vdpasim_chain tx;

	if (!vdpasim_vq_live(rxq) || !vdpasim_vq_live(txq))
		return false;
	while (budget) {
		err = vdpasim_vq_pop(txq, &tx);
		if (err)
			break;
		err = vdpasim_net_loop_one(sim, rxq, txq, &tx);
		if (err == -EAGAIN) {
			/* the frame stays available until RX is refilled */
			vdpasim_vq_unpop(txq, 1);
			stalled = true;
			break;
		}
		if (err)
			break;
		vdpasim_vq_push(txq, tx.head, 0);
		budget--;
	}
	rx_more = vdpasim_vq_flush(rxq);
	tx_more = vdpasim_vq_flush(txq);
	if (err == -EIO)
		return false;
	if (stalled)
		return rx_more;
	return !budget || tx_more;
}

static u8 vdpasim_net_ctrl_mac(struct vdpasim_net *net,
			       struct vdpasim_iter *out, u8 cmd)
{
	struct vdpasim *sim = &net->sim;
	u8 mac[ETH_ALEN];

	switch (cmd) {
	case VIRTIO_NET_CTRL_MAC_ADDR_SET:
		if (!vdpasim_has_feature(sim, VIRTIO_NET_F_CTRL_MAC_ADDR) ||
		    vdpasim_iter_read(out, mac, ETH_ALEN) != ETH_ALEN ||
		    !is_valid_ether_addr(mac))
			return VIRTIO_NET_ERR;
		ether_addr_copy(net->mac, mac);
		_vdpasim_config_changed(sim, false);
		return VIRTIO_NET_OK;
	case VIRTIO_NET_CTRL_MAC_TABLE_SET:
		/* no filtering: every frame loops back anyway */
		return vdpasim_has_feature(sim, VIRTIO_NET_F_CTRL_RX) ?
		       VIRTIO_NET_OK : VIRTIO_NET_ERR;
	}
	return VIRTIO_NET_ERR;
}

static u8 vdpasim_net_ctrl_mq(struct vdpasim_net *net,
			      struct vdpasim_iter *out, u8 cmd)
{
	__virtio16 raw;
	u16 pairs;

	if (cmd != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET ||
	    !vdpasim_has_feature(&net->sim, VIRTIO_NET_F_MQ) ||
	    vdpasim_iter_read(out, &raw, sizeof(raw)) != sizeof(raw))
		return VIRTIO_NET_ERR;
	pairs = __virtio16_to_cpu(true, raw);
	if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || pairs > net->max_vqp)
		return VIRTIO_NET_ERR;
	net->curr_qps = pairs;
	return VIRTIO_NET_OK;
}

static u8 vdpasim_net_ctrl(struct vdpasim_net *net, struct vdpasim_iter *out)
{
	struct virtio_net_ctrl_hdr ctrl;

	if (vdpasim_iter_read(out, &ctrl, sizeof(ctrl)) != sizeof(ctrl))
		return VIRTIO_NET_ERR;
	switch (ctrl.class) {
	case VIRTIO_NET_CTRL_MAC:
		return vdpasim_net_ctrl_mac(net, out, ctrl.cmd);
	case VIRTIO_NET_CTRL_MQ:
		return vdpasim_net_ctrl_mq(net, out, ctrl.cmd);
	case VIRTIO_NET_CTRL_RX:
		/* promiscuous and multicast modes: nothing to filter */
		return vdpasim_has_feature(&net->sim, VIRTIO_NET_F_CTRL_RX) &&
		       ctrl.cmd <= VIRTIO_NET_CTRL_RX_NOBCAST ?
		       VIRTIO_NET_OK : VIRTIO_NET_ERR;
	}
	return VIRTIO_NET_ERR;
}

/* One batch on the control queue; true if it should run again. */
static bool vdpasim_net_cvq(struct vdpasim_net *net)
{
	struct vdpasim_virtqueue *cvq;
	int budget = VDPASIM_NET_BUDGET, err = 0;
	struct vdpasim_iter out, in;
	struct vdpasim_chain chain;
	bool more;
	u8 status;

	if (!net->cvq)
		return false;
	cvq = vdpasim_vq(&net->sim, vdpasim_net_cvq_index(net));
	if (!vdpasim_vq_live(cvq))
		return false;
	while (budget) {
		err = vdpasim_vq_pop(cvq, &chain);
		if (err)
			break;
		if (!chain.in_len) {
			vdpasim_vq_fail(cvq, "control command without room for the status");
			err = -EIO;
			break;
		}
		vdpasim_iter_init(&out, cvq, &chain, false);
		status = vdpasim_net_ctrl(net, &out);
		/*
		 * Reading the command fails the queue if its buffer is not
		 * mapped: a command given up on gets no status, not even in
		 * an ack buffer that is mapped.
		 */
		if (!vdpasim_vq_live(cvq)) {
			err = -EIO;
			break;
		}
		vdpasim_iter_init(&in, cvq, &chain, true);
		if (vdpasim_iter_write(&in, &status, sizeof(status)) < 0) {
			err = -EIO;
			break;
		}
		vdpasim_vq_push(cvq, chain.head, sizeof(status));
		budget--;
	}
	more = vdpasim_vq_flush(cvq);
	if (err == -EIO)
		return false;
	return !budget || more;
}

/* Lane k is queue pair k (queues 2k and 2k+1); lane max_vqp the CVQ. */
static bool vdpasim_net_work(struct vdpasim *sim, u16 lane)
{
	struct vdpasim_net *net = sim_to_net(sim);

	if (lane == net->max_vqp)
		return vdpasim_net_cvq(net);
	return vdpasim_net_pair(sim, lane);
}

static u16 vdpasim_net_get_vq_size(struct vdpasim *sim, u16 idx)
{
	return vdpasim_net_is_cvq(sim_to_net(sim), idx) ?
	       VDPASIM_NET_CVQ_NUM : VDPASIM_NET_VQ_NUM;
}

static u32 vdpasim_net_get_vq_group(struct vdpasim *sim, u16 idx)
{
	return vdpasim_net_is_cvq(sim_to_net(sim), idx) ?
	       VDPASIM_NET_CVQ_GROUP : VDPASIM_NET_DATA_GROUP;
}

static void vdpasim_net_get_config(struct vdpasim *sim, void *config)
{
	struct vdpasim_net *net = sim_to_net(sim);
	struct virtio_net_config *cfg = config;

	memcpy(cfg->mac, net->mac, ETH_ALEN);
	cfg->status = __cpu_to_virtio16(true, VIRTIO_NET_S_LINK_UP);
	cfg->max_virtqueue_pairs = __cpu_to_virtio16(true, net->max_vqp);
	cfg->mtu = __cpu_to_virtio16(true, net->mtu);
}

static bool vdpasim_net_cvq_deps_ok(u64 features)
{
	return !(features & VDPASIM_NET_CVQ_FEATURES) ||
	       (features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ));
}

static bool vdpasim_net_features_ok(struct vdpasim *sim, u64 features)
{
	return vdpasim_net_cvq_deps_ok(features);
}

static void vdpasim_net_reset(struct vdpasim *sim)
{
	sim_to_net(sim)->curr_qps = 1;
}

static int vdpasim_net_get_stats(struct vdpasim *sim, u16 idx,
				 struct sk_buff *msg,
				 struct netlink_ext_ack *extack)
{
	struct vdpasim_virtqueue *vq = vdpasim_vq(sim, idx);
	u64 received, completed;

	if (!vq) {
		NL_SET_ERR_MSG_MOD(extack, "qidx: no such queue");
		return -EINVAL;
	}
	vdpasim_vq_stats(vq, &received, &completed);
	if (nla_put_string(msg, VDPA_ATTR_DEV_VENDOR_ATTR_NAME,
			   "received_desc") ||
	    nla_put_u64_64bit(msg, VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, received,
			      VDPA_ATTR_PAD) ||
	    nla_put_string(msg, VDPA_ATTR_DEV_VENDOR_ATTR_NAME,
			   "completed_desc") ||
	    nla_put_u64_64bit(msg, VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, completed,
			      VDPA_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

static bool vdpasim_net_has(const struct vdpa_dev_set_config *config,
			    unsigned int attr)
{
	return config->mask & BIT_ULL(attr);
}

static int vdpasim_net_check_features(u64 features,
				      struct netlink_ext_ack *extack)
{
	if (features & ~VDPASIM_NET_FEATURES) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device_features: not a subset of the supported features");
		return -EINVAL;
	}
	if (!(features & BIT_ULL(VIRTIO_F_VERSION_1))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device_features: VIRTIO_F_VERSION_1 is required");
		return -EINVAL;
	}
	if (!vdpasim_net_cvq_deps_ok(features)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device_features: CTRL_RX, CTRL_MAC_ADDR and MQ need CTRL_VQ");
		return -EINVAL;
	}
	return 0;
}

static int vdpasim_net_check_net(const struct vdpa_dev_set_config *config,
				 struct netlink_ext_ack *extack)
{
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MACADDR) &&
	    !is_valid_ether_addr(config->net.mac)) {
		NL_SET_ERR_MSG_MOD(extack, "mac: not a valid unicast address");
		return -EINVAL;
	}
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MTU) &&
	    config->net.mtu > VDPASIM_NET_MAX_MTU) {
		NL_SET_ERR_MSG_MOD(extack, "mtu: above the device maximum of 9000");
		return -ERANGE;
	}
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MTU) &&
	    config->net.mtu < VDPASIM_NET_MIN_MTU) {
		NL_SET_ERR_MSG_MOD(extack, "mtu: below the minimum of 68");
		return -ERANGE;
	}
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MAX_VQP) &&
	    config->net.max_vq_pairs > VDPASIM_NET_MAX_VQP) {
		NL_SET_ERR_MSG_MOD(extack, "max_vqp: above the device maximum of 8");
		return -ERANGE;
	}
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MAX_VQP) &&
	    !config->net.max_vq_pairs) {
		NL_SET_ERR_MSG_MOD(extack, "max_vqp: at least 1 is needed");
		return -ERANGE;
	}
	return 0;
}

static int vdpasim_net_params(const struct vdpa_dev_set_config *config,
			      struct vdpasim_net_params *p,
			      struct netlink_ext_ack *extack)
{
	int err;

	p->features = VDPASIM_NET_DEFAULT_FEATURES;
	p->mtu = VDPASIM_NET_DEF_MTU;
	p->max_vqp = 1;
	eth_random_addr(p->mac);
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_FEATURES)) {
		err = vdpasim_net_check_features(config->device_features,
						 extack);
		if (err)
			return err;
		p->features = config->device_features;
	}
	err = vdpasim_net_check_net(config, extack);
	if (err)
		return err;
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MACADDR))
		ether_addr_copy(p->mac, config->net.mac);
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MTU))
		p->mtu = config->net.mtu;
	if (vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MAX_VQP))
		p->max_vqp = config->net.max_vq_pairs;
	if (p->max_vqp > 1 && !(p->features & BIT_ULL(VIRTIO_NET_F_MQ))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "max_vqp: more than 1 needs VIRTIO_NET_F_MQ in device_features");
		return -EINVAL;
	}
	return 0;
}

static int vdpasim_net_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			       const struct vdpa_dev_set_config *config)
{
	struct netlink_ext_ack *extack = vdpa_mgmt_extack();
	struct vdpasim_dev_attr attr = {
		.mgmt_dev = mdev,
		.name = name,
		.alloc_size = sizeof(struct vdpasim_net),
		.config_size = sizeof(struct virtio_net_config),
		.id = VIRTIO_ID_NET,
		.ngroups = VDPASIM_NET_GROUPS,
		.nas = VDPASIM_NET_AS,
		.vq_num_max = VDPASIM_NET_VQ_NUM,
		.vqs_per_lane = 2,
		.get_vq_size = vdpasim_net_get_vq_size,
		.get_vq_group = vdpasim_net_get_vq_group,
		.work_fn = vdpasim_net_work,
		.get_config = vdpasim_net_get_config,
		.features_ok = vdpasim_net_features_ok,
		.reset = vdpasim_net_reset,
		.get_stats = vdpasim_net_get_stats,
	};
	struct vdpasim_net_params p;
	struct vdpasim_net *net;
	struct vdpasim *sim;
	bool cvq;
	int err;

	err = vdpasim_net_params(config, &p, extack);
	if (err)
		return err;
	cvq = p.features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ);
	attr.supported_features = p.features;
	attr.nvqs = 2 * p.max_vqp + cvq;
	sim = vdpasim_create(&attr);
	if (IS_ERR(sim)) {
		NL_SET_ERR_MSG_MOD(extack, "creating the device failed");
		return PTR_ERR(sim);
	}
	net = sim_to_net(sim);
	ether_addr_copy(net->mac, p.mac);
	net->mtu = p.mtu;
	net->max_vqp = p.max_vqp;
	net->curr_qps = 1;
	net->cvq = cvq;
	/*
	 * In virtio mode the host's own virtio_net waits for a control
	 * command's answer spinning (see vdpasim_kick_vq); the commands are
	 * short and take no sleeping lock. In vhost mode the driver is in
	 * user space or a guest, and waits.
	 */
	if (cvq)
		sim->lanes[p.max_vqp].serve_in_kick = true;
	err = _vdpa_register_device(&sim->vdpa, attr.nvqs);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_MOD(extack, "name: a vDPA device of this name exists");
	else if (err)
		NL_SET_ERR_MSG_MOD(extack, "registering the device failed");
	if (err)
		put_device(&sim->vdpa.dev);
	return err;
}

static void vdpasim_net_dev_del(struct vdpa_mgmt_dev *mdev,
				struct vdpa_device *vdpa)
{
	/* the vdpa_sim free operation releases the rest with the last ref */
	_vdpa_unregister_device(vdpa);
}

static int vdpasim_net_dev_set_attr(struct vdpa_mgmt_dev *mdev,
				    struct vdpa_device *vdpa,
				    const struct vdpa_dev_set_config *config)
{
	struct netlink_ext_ack *extack = vdpa_mgmt_extack();
	struct vdpasim *sim = container_of(vdpa, struct vdpasim, vdpa);
	struct vdpasim_net *net = sim_to_net(sim);

	if (!vdpasim_net_has(config, VDPA_ATTR_DEV_NET_CFG_MACADDR)) {
		NL_SET_ERR_MSG_MOD(extack, "only the MAC address can be changed");
		return -EOPNOTSUPP;
	}
	if (!is_valid_ether_addr(config->net.mac)) {
		NL_SET_ERR_MSG_MOD(extack, "mac: not a valid unicast address");
		return -EINVAL;
	}
	down_write(&sim->lock);
	ether_addr_copy(net->mac, config->net.mac);
	_vdpasim_config_changed(sim, true);
	up_write(&sim->lock);
	return 0;
}

static const struct vdpa_mgmtdev_ops vdpasim_net_mgmt_ops = {
	.dev_add = vdpasim_net_dev_add,
	.dev_del = vdpasim_net_dev_del,
	.dev_set_attr = vdpasim_net_dev_set_attr,
};

static struct virtio_device_id vdpasim_net_ids[] = {
	{ VIRTIO_ID_NET, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct vdpa_mgmt_dev vdpasim_net_mgmt = {
	.ops = &vdpasim_net_mgmt_ops,
	.id_table = vdpasim_net_ids,
	.config_attr_mask = BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR) |
			    BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU) |
			    BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP) |
			    BIT_ULL(VDPA_ATTR_DEV_FEATURES),
	.supported_features = VDPASIM_NET_FEATURES,
	.max_supported_vqs = 2 * VDPASIM_NET_MAX_VQP + 1,
};

static struct device *vdpasim_net_root;

static int __init vdpasim_net_init(void)
{
	int err;

	vdpasim_net_root = root_device_register(VDPASIM_NET_NAME);
	if (IS_ERR(vdpasim_net_root))
		return PTR_ERR(vdpasim_net_root);
	vdpasim_net_mgmt.device = vdpasim_net_root;
	err = vdpa_mgmtdev_register(&vdpasim_net_mgmt);
	if (err)
		goto err_mgmtdev;
	return 0;

err_mgmtdev:
	root_device_unregister(vdpasim_net_root);
	return err;
}

static void __exit vdpasim_net_exit(void)
{
	vdpa_mgmtdev_unregister(&vdpasim_net_mgmt);
	root_device_unregister(vdpasim_net_root);
}

module_init(vdpasim_net_init);
module_exit(vdpasim_net_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vDPA suite developers");
MODULE_DESCRIPTION("vDPA simulated virtio-net device looping TX back to RX");
MODULE_VERSION("0.2.0");
MODULE_ALIAS("vdpa-mgmtdev-" VDPASIM_NET_NAME);
