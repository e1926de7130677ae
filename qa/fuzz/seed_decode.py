#!/usr/bin/env python3
# Seeds fuzz_decode's corpus: one file per distinct frame of the given
# pcaps, prefixed with the byte that selects the pcap's link type.
import hashlib
import os
import struct
import sys

# Index into fuzz_decode.c's fuzz_linktypes[] for each DLT value.
LINKTYPE_INDEX = {1: 0, 0: 1, 9: 2, 12: 3, 101: 3, 14: 3, 108: 4, 113: 5, 228: 6, 229: 7, 276: 8}


def frames(path):
    with open(path, 'rb') as f:
        head = f.read(24)
        if len(head) < 24:
            return
        magic = struct.unpack('<I', head[:4])[0]
        endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
        linktype = struct.unpack(endian + 'I', head[20:24])[0] & 0x0fffffff
        if linktype not in LINKTYPE_INDEX:
            return
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            caplen = struct.unpack(endian + 'I', rec[8:12])[0]
            if caplen > 65535:
                return
            data = f.read(caplen)
            if len(data) < caplen:
                return
            yield bytes([LINKTYPE_INDEX[linktype]]) + data[:4096]


def main():
    src, dst = sys.argv[1], sys.argv[2]
    seen = set()
    for name in sorted(os.listdir(src)):
        if not name.endswith('.pcap'):
            continue
        for frame in frames(os.path.join(src, name)):
            digest = hashlib.sha1(frame).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            with open(os.path.join(dst, digest), 'wb') as out:
                out.write(frame)
    print(f'seeded {len(seen)} frames into {dst}')


if __name__ == '__main__':
    main()
