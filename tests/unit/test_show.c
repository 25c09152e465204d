// SPDX-License-Identifier: GPL-2.0
/*
 * Printing replies, text and JSON, against exact strings. The strings
 * without -d are what iproute2's vdpa (6.1 and 6.15) prints for the same
 * replies, trailing spaces and "link " keys included; cli.sh checks that
 * against iproute2 itself where it is installed.
 */
#include <string.h>
#include <netlink/attr.h>
#include <linux/virtio_net.h>

#include "show.h"
#include "tap.h"
#include "util.h"

#define F(bit)	(1ULL << (bit))

/* The replies of the case at hand, NULL-terminated; rendering empties it */
static struct nl_msg *m[4];

/* vdpasim_net's features: MTU MAC STATUS CTRL_VQ CTRL_MAC_ADDR ANY_LAYOUT
 * VERSION_1 ACCESS_PLATFORM RING_PACKED and the unnamed bit 56 */
#define SIM_FEATURES	(F(3) | F(5) | F(16) | F(17) | F(23) | F(27) | \
			 F(32) | F(33) | F(34) | F(56))

static void put_mgmtdev(struct nl_msg *msg, const char *bus, const char *name)
{
	if (bus)
		nla_put_string(msg, VDPA_ATTR_MGMTDEV_BUS_NAME, bus);
	nla_put_string(msg, VDPA_ATTR_MGMTDEV_DEV_NAME, name);
}

/* An unsigned attribute of @size bytes, left out when @v is 0 */
static void put_opt(struct nl_msg *msg, int type, uint64_t v, int size)
{
	if (!v)
		return;
	if (size == 1)
		nla_put_u8(msg, type, v);
	else if (size == 4)
		nla_put_u32(msg, type, v);
	else
		nla_put_u64(msg, type, v);
}

static struct nl_msg *mgmtdev(const char *bus, const char *name,
			      uint64_t classes, uint32_t max_vqs,
			      uint64_t features)
{
	struct nl_msg *msg = util_reply(VDPA_CMD_MGMTDEV_NEW);

	put_mgmtdev(msg, bus, name);
	put_opt(msg, VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES, classes, 8);
	put_opt(msg, VDPA_ATTR_DEV_MGMTDEV_MAX_VQS, max_vqs, 4);
	put_opt(msg, VDPA_ATTR_DEV_SUPPORTED_FEATURES, features, 8);
	return msg;
}

static void test_mgmtdev(void)
{
	m[0] = mgmtdev(NULL, "vdpasim_net", F(1), 3, SIM_FEATURES);
	tap_str(util_render(ARGS_SHOW_MGMTDEV, "", m),
		"vdpasim_net: \n"
		"  supported_classes net\n"
		"  max_supported_vqs 3\n"
		"  dev_features MTU MAC STATUS CTRL_VQ CTRL_MAC_ADDR ANY_LAYOUT VERSION_1 ACCESS_PLATFORM RING_PACKED bit_56\n",
		"mgmtdev: text");
	m[0] = mgmtdev(NULL, "vdpasim_net", F(1), 3, SIM_FEATURES);
	tap_str(util_render(ARGS_SHOW_MGMTDEV, "j", m),
		"{\"mgmtdev\":{\"vdpasim_net\":{\"supported_classes\":[\"net\"],\"max_supported_vqs\":3,\"dev_features\":[\"MTU\",\"MAC\",\"STATUS\",\"CTRL_VQ\",\"CTRL_MAC_ADDR\",\"ANY_LAYOUT\",\"VERSION_1\",\"ACCESS_PLATFORM\",\"RING_PACKED\",56]}}}\n",
		"mgmtdev: JSON, unknown bits as numbers");
	m[0] = mgmtdev("pci", "0000:00:04.0", F(1) | F(2) | F(5), 0,
		       F(0) | F(22) | F(28) | F(38) | F(40) | F(63));
	m[1] = mgmtdev(NULL, "vdpasim_blk", F(2), 1, F(1) | F(24) | F(32));
	tap_str(util_render(ARGS_SHOW_MGMTDEV, "", m),
		"pci/0000:00:04.0: \n"
		"  supported_classes net block < unknown class >\n"
		"  dev_features CSUM MQ RING_INDIRECT_DESC NOTIFICATION_DATA bit_40 SPEED_DUPLEX\n"
		"vdpasim_blk: \n"
		"  supported_classes block\n"
		"  max_supported_vqs 1\n"
		"  dev_features bit_1 bit_24 VERSION_1\n",
		"mgmtdev: text of a dump, a bus, classes, block names");
	m[0] = mgmtdev("pci", "0000:00:04.0", F(1) | F(2), 0, F(0) | F(32));
	m[1] = mgmtdev(NULL, "bare", 0, 0, 0);
	tap_str(util_render(ARGS_SHOW_MGMTDEV, "jp", m),
		"{\n"
		"    \"mgmtdev\": {\n"
		"        \"pci/0000:00:04.0\": {\n"
		"            \"supported_classes\": [ \"net\",\"block\" ],\n"
		"            \"dev_features\": [ \"CSUM\",\"VERSION_1\" ]\n"
		"        },\n"
		"        \"bare\": {}\n"
		"    }\n"
		"}\n",
		"mgmtdev: pretty JSON of a dump");
	m[0] = mgmtdev(NULL, "bare", 0, 0, 0);
	tap_str(util_render(ARGS_SHOW_MGMTDEV, "", m), "bare: \n",
		"mgmtdev: no attributes but the name");
	m[0] = util_reply(VDPA_CMD_MGMTDEV_NEW);
	tap_ok(!util_render(ARGS_SHOW_MGMTDEV, "", m),
	       "mgmtdev: a reply without a name is malformed");
}

static struct nl_msg *dev(const char *name, uint32_t id, const char *bus,
			  const char *mgmtdev, uint8_t mode,
			  const char *driver)
{
	struct nl_msg *msg = util_reply(VDPA_CMD_DEV_NEW);

	nla_put_string(msg, VDPA_ATTR_DEV_NAME, name);
	nla_put_u32(msg, VDPA_ATTR_DEV_ID, id);
	put_mgmtdev(msg, bus, mgmtdev);
	nla_put_u32(msg, VDPA_ATTR_DEV_VENDOR_ID, id == 1 ? 0 : 0x1af4);
	nla_put_u32(msg, VDPA_ATTR_DEV_MAX_VQS, 3);
	nla_put_u16(msg, VDPA_ATTR_DEV_MAX_VQ_SIZE, 256);
	nla_put_u16(msg, VDPA_ATTR_DEV_MIN_VQ_SIZE, 1);
	put_opt(msg, VDPA_ATTR_EXT_DEV_MODE, mode, 1);
	if (driver)
		nla_put_string(msg, VDPA_ATTR_EXT_DEV_DRIVER, driver);
	return msg;
}

static void test_dev(void)
{
	m[0] = dev("vdpa0", 1, NULL, "vdpasim_net", 2, "vhost_vdpa");
	tap_str(util_render(ARGS_SHOW_DEV, "", m),
		"vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256\n",
		"dev: text, the suite's attributes hidden without -d");
	m[0] = dev("vdpa0", 1, NULL, "vdpasim_net", 2, "vhost_vdpa");
	m[1] = dev("blk0", 2, "pci", "0000:00:05.0", 1, NULL);
	m[2] = dev("odd", 7, NULL, "x", 0, NULL);
	tap_str(util_render(ARGS_SHOW_DEV, "j", m),
		"{\"dev\":{\"vdpa0\":{\"type\":\"network\",\"mgmtdev\":\"vdpasim_net\",\"vendor_id\":0,\"max_vqs\":3,\"max_vq_size\":256},"
		"\"blk0\":{\"type\":\"block\",\"mgmtdev\":\"pci/0000:00:05.0\",\"vendor_id\":6900,\"max_vqs\":3,\"max_vq_size\":256},"
		"\"odd\":{\"type\":\"<unknown type>\",\"mgmtdev\":\"x\",\"vendor_id\":6900,\"max_vqs\":3,\"max_vq_size\":256}}}\n",
		"dev: JSON of a dump, types, a bus");
	m[0] = dev("vdpa0", 1, NULL, "vdpasim_net", 2, "vhost_vdpa");
	m[1] = dev("vdpa1", 1, NULL, "vdpasim_net", 1, NULL);
	m[2] = dev("vdpa2", 1, NULL, "vdpasim_net", 9, NULL);
	tap_str(util_render(ARGS_SHOW_DEV, "d", m),
		"vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256 mode vhost driver vhost_vdpa\n"
		"vdpa1: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256 mode virtio driver none\n"
		"vdpa2: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256 mode unknown driver none\n",
		"dev -d: text with mode and driver");
	m[0] = dev("vdpa0", 1, NULL, "vdpasim_net", 0, NULL);
	tap_str(util_render(ARGS_SHOW_DEV, "jd", m),
		"{\"dev\":{\"vdpa0\":{\"type\":\"network\",\"mgmtdev\":\"vdpasim_net\",\"vendor_id\":0,\"max_vqs\":3,\"max_vq_size\":256,\"driver\":\"none\"}}}\n",
		"dev -d: JSON from a kernel without the suite's attributes");
	m[0] = dev("vdpa0", 1, NULL, "vdpasim_net", 2, "vhost_vdpa");
	tap_str(util_render(ARGS_SHOW_DEV, "jpd", m),
		"{\n"
		"    \"dev\": {\n"
		"        \"vdpa0\": {\n"
		"            \"type\": \"network\",\n"
		"            \"mgmtdev\": \"vdpasim_net\",\n"
		"            \"vendor_id\": 0,\n"
		"            \"max_vqs\": 3,\n"
		"            \"max_vq_size\": 256,\n"
		"            \"mode\": \"vhost\",\n"
		"            \"driver\": \"vhost_vdpa\"\n"
		"        }\n"
		"    }\n"
		"}\n",
		"dev -d: pretty JSON");
	m[0] = util_reply(VDPA_CMD_DEV_NEW);
	nla_put_string(m[0], VDPA_ATTR_DEV_NAME, "vdpa0");
	tap_ok(!util_render(ARGS_SHOW_DEV, "", m),
	       "dev: a reply without type and mgmtdev is malformed");
}

static struct nl_msg *config(const char *name, uint32_t id, uint16_t status,
			     uint64_t negotiated)
{
	static const uint8_t mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct nl_msg *msg = util_reply(VDPA_CMD_DEV_CONFIG_GET);

	nla_put_string(msg, VDPA_ATTR_DEV_NAME, name);
	nla_put_u32(msg, VDPA_ATTR_DEV_ID, id);
	nla_put(msg, VDPA_ATTR_PAD, 0, NULL);
	nla_put(msg, VDPA_ATTR_DEV_NET_CFG_MACADDR, sizeof(mac), mac);
	nla_put_u16(msg, VDPA_ATTR_DEV_NET_STATUS, status);
	nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, 1);
	nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MTU, 1500);
	nla_put_u64(msg, VDPA_ATTR_DEV_NEGOTIATED_FEATURES, negotiated);
	nla_put_u64(msg, VDPA_ATTR_DEV_FEATURES, F(3) | F(32) | F(50));
	return msg;
}

static void test_config(void)
{
	m[0] = config("vdpa0", 1, 1, F(3) | F(5) | F(16) | F(32));
	m[1] = config("blk0", 2, 1, F(32));
	tap_str(util_render(ARGS_SHOW_CONFIG, "", m),
		"vdpa0: mac 00:11:22:33:44:55 link up link_announce false max_vq_pairs 1 mtu 1500 \n"
		"  negotiated_features MTU MAC STATUS VERSION_1\n"
		"blk0: \n",
		"config: text, trailing spaces, nothing for block");
	m[0] = config("vdpa0", 1, 2, F(17) | F(22) | F(32) | F(50));
	tap_str(util_render(ARGS_SHOW_CONFIG, "j", m),
		"{\"config\":{\"vdpa0\":{\"mac\":\"00:11:22:33:44:55\",\"link \":\"down\",\"link_announce \":true,\"max_vq_pairs\":1,\"mtu\":1500,\"negotiated_features\":[\"CTRL_VQ\",\"MQ\",\"VERSION_1\",50]}}}\n",
		"config: JSON, keys \"link \" and \"link_announce \"");
	m[0] = config("vdpa0", 1, 3, 0);
	tap_str(util_render(ARGS_SHOW_CONFIG, "jp", m),
		"{\n"
		"    \"config\": {\n"
		"        \"vdpa0\": {\n"
		"            \"mac\": \"00:11:22:33:44:55\",\n"
		"            \"link \": \"up\",\n"
		"            \"link_announce \": true,\n"
		"            \"max_vq_pairs\": 1,\n"
		"            \"mtu\": 1500,\n"
		"            \"negotiated_features\": [ ]\n"
		"        }\n"
		"    }\n"
		"}\n",
		"config: pretty JSON, an empty array");
	m[0] = config("vdpa0", 1, 1, F(3));
	m[1] = config("blk0", 2, 1, F(32));
	tap_str(util_render(ARGS_SHOW_CONFIG, "d", m),
		"vdpa0: mac 00:11:22:33:44:55 link up link_announce false max_vq_pairs 1 mtu 1500 \n"
		"  negotiated_features MTU\n"
		"  dev_features MTU VERSION_1 bit_50\n"
		"blk0: \n"
		"  dev_features bit_3 VERSION_1 bit_50\n",
		"config -d: the device's features too");
	m[0] = util_reply(VDPA_CMD_DEV_CONFIG_GET);
	nla_put_string(m[0], VDPA_ATTR_DEV_NAME, "vdpa0");
	nla_put_u32(m[0], VDPA_ATTR_DEV_ID, 1);
	tap_str(util_render(ARGS_SHOW_CONFIG, "", m), "vdpa0: \n",
		"config: each field only if present");
}

static struct nl_msg *vstats(uint32_t id, uint32_t qidx, uint64_t features)
{
	struct nl_msg *msg = util_reply(VDPA_CMD_DEV_VSTATS_GET);

	nla_put_string(msg, VDPA_ATTR_DEV_NAME, "vdpa1");
	nla_put_u32(msg, VDPA_ATTR_DEV_ID, id);
	nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, 2);
	nla_put_u64(msg, VDPA_ATTR_DEV_NEGOTIATED_FEATURES, features);
	nla_put_u32(msg, VDPA_ATTR_DEV_QUEUE_INDEX, qidx);
	nla_put_string(msg, VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "received_desc");
	nla_put_u64(msg, VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 321812);
	nla_put_string(msg, VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "completed_desc");
	nla_put_u64(msg, VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 321811);
	return msg;
}

static void vstats_type(uint32_t qidx, uint64_t features, const char *type)
{
	struct nl_msg *m[2] = { vstats(1, qidx, features), NULL };
	char want[128];

	snprintf(want, sizeof(want),
		 "vdpa1: queue_type %s received_desc 321812 completed_desc 321811 \n",
		 type);
	tap_str(util_render(ARGS_SHOW_VSTATS, "", m), want,
		"vstats: queue %u is %s", qidx, type);
}

static void test_vstats(void)
{
	uint64_t ctrl = F(VIRTIO_NET_F_CTRL_VQ);

	vstats_type(0, ctrl, "rx");
	vstats_type(3, ctrl, "tx");
	vstats_type(4, ctrl, "control_vq");
	vstats_type(4, 0, "rx");
	m[0] = vstats(1, 1, ctrl);
	tap_str(util_render(ARGS_SHOW_VSTATS, "j", m),
		"{\"vstats\":{\"vdpa1\":{\"queue_type\":\"tx\",\"received_desc\":321812,\"completed_desc\":321811}}}\n",
		"vstats: JSON, vendor names as keys");
	m[0] = vstats(2, 1, ctrl);
	tap_str(util_render(ARGS_SHOW_VSTATS, "", m), "vdpa1: \n",
		"vstats: nothing but the name for a block device");
}

static void test_sections(void)
{
	struct nl_msg *none[1] = { NULL };

	tap_str(util_render(ARGS_SHOW_DEV, "", none), "",
		"an empty dump prints nothing as text");
	tap_str(util_render(ARGS_SHOW_DEV, "j", none), "{\"dev\":{}}\n",
		"an empty dump is an empty section in JSON");
	tap_str(util_render(ARGS_SHOW_VSTATS, "jp", none),
		"{\n    \"vstats\": {}\n}\n", "an empty section, pretty");
	tap_str(show_section(ARGS_SHOW_CONFIG), "config",
		"config's section is \"config\"");
}

int main(void)
{
	test_mgmtdev();
	test_dev();
	test_config();
	test_vstats();
	test_sections();
	return tap_end();
}
