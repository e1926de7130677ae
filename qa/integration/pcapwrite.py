"""Hand-built captures for CLI and timeout tests: classic pcap files with
Ethernet/IPv4 UDP and TCP frames, written with the standard library only."""

import ipaddress
import struct


def _checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src, dst, proto, payload, ident=1):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0,
                         ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed)
    header = header[:10] + struct.pack("!H", _checksum(header)) + header[12:]
    return header + payload


def udp(sport, dport, payload=b"x" * 8):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, flags, seq=1, ack=0, payload=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload


def ethernet(l3, ethertype=0x0800):
    return b"\x00\x11\x22\x33\x44\x55" + b"\x66\x77\x88\x99\xaa\xbb" + struct.pack("!H", ethertype) + l3


def udp_frame(src, dst, sport, dport, payload=b"x" * 8):
    return ethernet(ipv4(src, dst, 17, udp(sport, dport, payload)))


def tcp_frame(src, dst, sport, dport, flags, payload=b""):
    return ethernet(ipv4(src, dst, 6, tcp(sport, dport, flags, payload=payload)))


def write_pcap(path, frames, linktype=1):
    """frames: iterable of (timestamp seconds as float, bytes)."""
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for ts, data in frames:
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            out.write(struct.pack("<IIII", sec, usec, len(data), len(data)))
            out.write(data)
