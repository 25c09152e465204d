#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for the "vdpa" family, independent of
both vdpa tools, so the tests can send exactly the bytes they want
(malformed ones included) and see exactly what the kernel answers.

  nlraw.py [--dump] CMD [NAME=TYPE:VALUE]...
  nlraw.py -          one request like the above per line of stdin

CMD and NAME are the uAPI names without their VDPA_CMD_/VDPA_ATTR_
prefixes (or numbers); TYPE is str, u8, u16, u32, u64 or hex (raw bytes).
Prints one JSON object per reply message, attributes keyed by number, or
"ok" for an acknowledged request without replies; on error prints
"error ERRNO (STRERROR): EXTACK-MESSAGE" and exits 1.
"""
import json
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK, NETLINK_EXT_ACK = 270, 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

CMDS = {"MGMTDEV_NEW": 1, "MGMTDEV_GET": 2, "DEV_NEW": 3, "DEV_DEL": 4,
        "DEV_GET": 5, "DEV_CONFIG_GET": 6, "DEV_VSTATS_GET": 7,
        "DEV_ATTR_SET": 8}
ATTRS = {"MGMTDEV_BUS_NAME": 1, "MGMTDEV_DEV_NAME": 2, "DEV_NAME": 4,
         "DEV_ID": 5, "DEV_NET_CFG_MACADDR": 10, "DEV_NET_STATUS": 11,
         "DEV_NET_CFG_MAX_VQP": 12, "DEV_NET_CFG_MTU": 13,
         "DEV_QUEUE_INDEX": 17, "DEV_FEATURES": 20,
         "EXT_DEV_MODE": 512, "EXT_DEV_DRIVER": 513}


def attr(num, payload):
    hdr = struct.pack("=HH", 4 + len(payload), num)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def encode(spec):
    name, _, tv = spec.partition("=")
    typ, _, val = tv.partition(":")
    num = ATTRS[name] if name in ATTRS else int(name)
    if typ == "str":
        return attr(num, val.encode() + b"\0")
    if typ == "hex":
        return attr(num, bytes.fromhex(val.replace(":", "")))
    fmt = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}[typ]
    return attr(num, struct.pack(fmt, int(val, 0)))


def parse_attrs(buf):
    out = {}
    while len(buf) >= 4:
        alen, num = struct.unpack_from("=HH", buf)
        out[num & 0x3fff] = buf[4:alen]
        buf = buf[(alen + 3) & ~3:]
    return out


def show(num, raw):
    if num in (1, 2, 4, 18, 513):
        return raw.rstrip(b"\0").decode()
    if len(raw) in (1, 2, 4, 8) and num != 10:
        return int.from_bytes(raw, "little")
    return raw.hex(":")


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.bind((0, 0))
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = 0

    def request(self, family, cmd, payload, flags):
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        hdr = struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0)
        self.s.send(hdr + body)
        replies = []
        while True:
            data = self.s.recv(1 << 20)
            while data:
                mlen, mtype, mflags = struct.unpack_from("=IHH", data)
                msg, data = data[16:mlen], data[(mlen + 3) & ~3:]
                if mtype == NLMSG_DONE:
                    return replies
                if mtype == NLMSG_ERROR:
                    err = struct.unpack_from("=i", msg)[0]
                    if err == 0:
                        return replies
                    raise OSError(-err, self.extack(msg, mflags))
                replies.append(parse_attrs(msg[4:]))

    @staticmethod
    def extack(msg, flags):
        if not flags & NLM_F_ACK_TLVS:
            return ""
        inner = 16 if flags & NLM_F_CAPPED else struct.unpack_from("=I", msg, 4)[0]
        tlvs = parse_attrs(msg[4 + ((inner + 3) & ~3):])
        return tlvs.get(1, b"").rstrip(b"\0").decode()

    def family(self, name):
        reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"), 0)
        return struct.unpack("=H", reply[0][CTRL_ATTR_FAMILY_ID])[0]


def run(g, argv):
    flags = 0
    if argv and argv[0] == "--dump":
        flags, argv = NLM_F_DUMP, argv[1:]
    cmd = CMDS[argv[0]] if argv[0] in CMDS else int(argv[0])
    try:
        fam = g.family("vdpa")
        payload = b"".join(encode(a) for a in argv[1:])
        replies = g.request(fam, cmd, payload, flags)
        for r in replies:
            print(json.dumps({str(k): show(k, v) for k, v in sorted(r.items())}))
        if not replies:
            print("ok")
    except OSError as e:
        print(f"error {e.errno} ({os.strerror(e.errno)}): {e.strerror}")
        return 1
    return 0


def main(argv):
    g = Genl()
    if argv != ["-"]:
        return run(g, argv)
    return max([run(g, line.split()) for line in sys.stdin if line.strip()] or [0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
