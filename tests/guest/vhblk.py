# SPDX-License-Identifier: GPL-2.0
"""vhblk.py DEV SECTOR: a minimal virtio-blk driver over vhost-vdpa.

Opens DEV (/dev/vhost-vdpa-N), checks that it is a block device (device
id 2) and reads its capacity from its config space, negotiates
VERSION_1 (and ACCESS_PLATFORM if offered), maps 1 MiB of shared memory
(a memfd, so that a user-address parent such as VDUSE can hand it to its
daemon) with one IOTLB message, sets up queue 0, writes 4096 bytes of a
pattern at SECTOR and reads them back, through the ring, checking each
request's status and the data. Prints "capacity N config_size N" and
exits 0 only if everything matched; any refusal is an exception.
"""
import ctypes
import errno
import fcntl
import mmap
import os
import select
import struct
import sys

VHOST = 0xAF


def ioc(d, nr, size):
    return (d << 30) | (size << 16) | (VHOST << 8) | nr


def iow(nr, size):
    return ioc(1, nr, size)


def ior(nr, size):
    return ioc(2, nr, size)


GET_FEATURES = ior(0x00, 8)
SET_FEATURES = iow(0x00, 8)
SET_OWNER = ioc(0, 0x01, 0)
SET_VRING_NUM = iow(0x10, 8)
SET_VRING_ADDR = iow(0x11, 40)
SET_VRING_BASE = iow(0x12, 8)
SET_VRING_KICK = iow(0x20, 8)
SET_VRING_CALL = iow(0x21, 8)
SET_BACKEND_FEATURES = iow(0x25, 8)
GET_BACKEND_FEATURES = ior(0x26, 8)
GET_DEVICE_ID = ior(0x70, 4)
GET_STATUS = ior(0x71, 1)
SET_STATUS = iow(0x72, 1)
GET_CONFIG = ior(0x73, 8)
SET_VRING_ENABLE = iow(0x75, 8)
GET_VRING_NUM = ior(0x76, 2)
GET_IOVA_RANGE = ior(0x78, 16)
GET_CONFIG_SIZE = ior(0x79, 4)

F_VERSION_1, F_ACCESS_PLATFORM = 1 << 32, 1 << 33
BACKEND_IOTLB_MSG_V2 = 1 << 1
ACK, DRIVER, DRIVER_OK, FEATURES_OK, NEEDS_RESET = 1, 2, 4, 8, 0x40
IOTLB_MSG_V2, IOTLB_UPDATE, ACCESS_RW = 2, 2, 3
DESC_NEXT, DESC_WRITE = 1, 2
BLK_T_IN, BLK_T_OUT = 0, 1
QSIZE, MEM = 16, 1 << 20
# where things are in the shared memory (offsets; IOVA = base + offset)
DESC, AVAIL, USED, HDR, DATA, BACK, STATUS = (0, 0x1000, 0x2000, 0x3000,
                                              0x4000, 0x5000, 0x6000)


def get(fd, req, fmt):
    buf = bytearray(struct.calcsize(fmt))
    fcntl.ioctl(fd, req, buf)
    return struct.unpack(fmt, buf)


def put(fd, req, fmt, *vals):
    fcntl.ioctl(fd, req, struct.pack(fmt, *vals))


def status(fd, add=0, value=None):
    s = get(fd, GET_STATUS, "B")[0] if value is None else value
    put(fd, SET_STATUS, "B", s | add)
    return get(fd, GET_STATUS, "B")[0]


class Ring:
    def __init__(self, mem, iova, fd, kick, call):
        self.mem, self.iova, self.fd = mem, iova, fd
        self.kick, self.call, self.avail, self.used = kick, call, 0, 0

    def request(self, rtype, sector, data_off, out):
        m = self.mem
        struct.pack_into("<IIQ", m, HDR, rtype, 0, sector)
        m[STATUS] = 0xff
        descs = [(HDR, 16, DESC_NEXT),
                 (data_off, 4096, DESC_NEXT | (0 if out else DESC_WRITE)),
                 (STATUS, 1, DESC_WRITE)]
        for i, (off, ln, fl) in enumerate(descs):
            struct.pack_into("<QIHH", m, DESC + 16 * i, self.iova + off, ln,
                             fl, i + 1 if fl & DESC_NEXT else 0)
        struct.pack_into("<H", m, AVAIL + 4 + 2 * (self.avail % QSIZE), 0)
        self.avail += 1
        struct.pack_into("<HH", m, AVAIL, 0, self.avail & 0xffff)
        os.eventfd_write(self.kick, 1)
        p = select.poll()
        p.register(self.call, select.POLLIN)
        for _ in range(100):
            if struct.unpack_from("<H", m, USED + 2)[0] == self.avail:
                break
            if p.poll(100):
                os.eventfd_read(self.call)
        idx = struct.unpack_from("<H", m, USED + 2)[0]
        if idx != self.avail:
            raise SystemExit("request %d not completed (used idx %d, status 0x%x)"
                             % (self.avail, idx, get(self.fd, GET_STATUS, "B")[0]))
        head, ln = struct.unpack_from("<II", m, USED + 4 + 8 * (self.used % QSIZE))
        self.used += 1
        if head != 0 or m[STATUS] != 0:
            raise SystemExit("request: used head %d, status %d" % (head, m[STATUS]))


def main():
    dev, sector = sys.argv[1], int(sys.argv[2])
    fd = os.open(dev, os.O_RDWR)
    devid = get(fd, GET_DEVICE_ID, "I")[0]
    if devid != 2:
        raise SystemExit("device id %d, not 2 (block)" % devid)
    csize = get(fd, GET_CONFIG_SIZE, "I")[0]
    cfg = bytearray(struct.pack("II", 0, 8) + bytes(8))
    fcntl.ioctl(fd, GET_CONFIG, cfg)
    capacity = struct.unpack_from("<Q", cfg, 8)[0]
    qmax = get(fd, GET_VRING_NUM, "H")[0]
    if qmax < QSIZE:
        raise SystemExit("queue size %d < %d" % (qmax, QSIZE))
    fcntl.ioctl(fd, SET_OWNER, 0)
    first, last = get(fd, GET_IOVA_RANGE, "QQ")
    iova = max(first, 1 << 30)
    if iova + MEM - 1 > last:
        raise SystemExit("no room in the IOVA range %x-%x" % (first, last))
    bf = get(fd, GET_BACKEND_FEATURES, "Q")[0]
    if not bf & BACKEND_IOTLB_MSG_V2:
        raise SystemExit("no IOTLB_MSG_V2")
    put(fd, SET_BACKEND_FEATURES, "Q", BACKEND_IOTLB_MSG_V2)

    status(fd, value=0)
    status(fd, value=ACK | DRIVER)
    offered = get(fd, GET_FEATURES, "Q")[0]
    if not offered & F_VERSION_1:
        raise SystemExit("no VERSION_1 offered: 0x%x" % offered)
    put(fd, SET_FEATURES, "Q", offered & (F_VERSION_1 | F_ACCESS_PLATFORM))
    if not status(fd, FEATURES_OK) & FEATURES_OK:
        raise SystemExit("FEATURES_OK refused")

    mfd = os.memfd_create("vhblk")
    os.ftruncate(mfd, MEM)
    mem = mmap.mmap(mfd, MEM, mmap.MAP_SHARED)
    # the user address of the mapping, through ctypes (mmap hides it)
    addr = ctypes.addressof(ctypes.c_char.from_buffer(mem))
    msg = struct.pack("<II", IOTLB_MSG_V2, 0) + \
        struct.pack("<QQQBB", iova, MEM, addr, ACCESS_RW, IOTLB_UPDATE)
    msg += bytes(72 - len(msg))
    if os.write(fd, msg) != len(msg):
        raise SystemExit("short IOTLB write")

    kick, call = os.eventfd(0), os.eventfd(0)
    put(fd, SET_VRING_NUM, "II", 0, QSIZE)
    put(fd, SET_VRING_BASE, "II", 0, 0)
    put(fd, SET_VRING_ADDR, "IIQQQQ", 0, 0, iova + DESC, iova + USED,
        iova + AVAIL, 0)
    put(fd, SET_VRING_KICK, "Ii", 0, kick)
    put(fd, SET_VRING_CALL, "Ii", 0, call)
    put(fd, SET_VRING_ENABLE, "II", 0, 1)
    s = status(fd, DRIVER_OK)
    if not s & DRIVER_OK or s & NEEDS_RESET:
        raise SystemExit("DRIVER_OK: status 0x%x" % s)

    ring = Ring(mem, iova, fd, kick, call)
    pattern = bytes((i * 7 + sector) & 0xff for i in range(4096))
    mem[DATA:DATA + 4096] = pattern
    ring.request(BLK_T_OUT, sector, DATA, True)
    mem[BACK:BACK + 4096] = bytes(4096)
    ring.request(BLK_T_IN, sector, BACK, False)
    if mem[BACK:BACK + 4096] != pattern:
        raise SystemExit("read back differs from what was written")
    status(fd, value=0)
    del ring
    os.close(fd)
    print("capacity %d config_size %d" % (capacity, csize))


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        raise SystemExit("%s: %s" % (errno.errorcode.get(e.errno, e.errno), e))
