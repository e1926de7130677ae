"""Helpers the integration tests share: read EVE output and reference flow
files, key flows like a Suricata-compatible engine, and list differences."""

import functools
import ipaddress
import json

# EVE names IP protocols as Suricata does; numbers and other spellings are accepted too.
PROTO_NUMBERS = {
    "ICMP": 1,
    "IPV4": 4,
    "IPIP": 4,
    "IP-IN-IP": 4,
    "TCP": 6,
    "UDP": 17,
    "IPV6": 41,
    "GRE": 47,
    "ESP": 50,
    "AH": 51,
    "IPV6-ICMP": 58,
    "IPV6-NONXT": 59,
    "ICMPV6": 58,
    "SCTP": 132,
}

COUNTERS = ("pkts_toserver", "pkts_toclient", "bytes_toserver", "bytes_toclient")
SWAPPED = {
    "pkts_toserver": "pkts_toclient",
    "pkts_toclient": "pkts_toserver",
    "bytes_toserver": "bytes_toclient",
    "bytes_toclient": "bytes_toserver",
}


def iter_eve(path):
    """The JSON objects of an EVE (or reference) JSON-lines file, in order, one
    at a time: a SYN flood's 300k records held at once as dicts take 1.3 GB,
    and filling that memory cost its tests most of their time."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{number}: not JSON: {e}") from None


def load_eve(path):
    """Every JSON object of an EVE (or reference) JSON-lines file, in order."""
    return list(iter_eve(path))


def eve_flows(records):
    """The EVE `flow` event records."""
    return [r for r in records if r.get("event_type") == "flow"]


def reference_flows(records, model="suri"):
    """The `flow` lines of a reference file, for one model when lines carry one.

    EVE flow records are accepted as reference too, to compare two runs."""
    return [
        r for r in records
        if (r.get("type") == "flow" or r.get("event_type") == "flow") and r.get("model", model) == model
    ]


def proto_number(proto):
    if isinstance(proto, int):
        return proto
    text = str(proto).strip()
    if text.isdigit():
        return int(text)
    try:
        return PROTO_NUMBERS[text.upper()]
    except KeyError:
        raise ValueError(f"unknown protocol name {proto!r}") from None


@functools.lru_cache(maxsize=None)
def _normal_ip(text):
    # Dotted quads are written one way only; IPv6 has many spellings.
    if ":" not in text:
        return text
    try:
        return ipaddress.ip_address(text).compressed
    except ValueError:
        return text


def _endpoint(rec, role):
    return (_normal_ip(rec.get(f"{role}_ip", "")), int(rec.get(f"{role}_port") or 0))


def flow_key(rec):
    """(protocol number, frozenset of the two (ip, port) endpoints), ports 0 when absent.

    Works on EVE flow records and on reference flow lines alike."""
    return (proto_number(rec.get("proto")), frozenset((_endpoint(rec, "src"), _endpoint(rec, "dest"))))


def _counters(rec):
    """Counters and TCP flags (ints, None when absent) of an EVE or reference record."""
    counts = rec["flow"] if isinstance(rec.get("flow"), dict) else rec
    tcp = rec["tcp"] if isinstance(rec.get("tcp"), dict) else rec
    values = {name: int(counts.get(name, 0)) for name in COUNTERS}
    for side in ("ts", "tc"):
        flags = tcp.get(f"tcp_flags_{side}")
        values[f"tcp_flags_{side}"] = int(flags, 16) if flags is not None else None
    return values


def _or_flags(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def sum_by_key(records, orientation=None):
    """Sum packets, bytes and TCP flags per flow key.

    Direction follows orientation[key] (the endpoint whose packets count as
    toserver), else the first record of that key: a record written the other
    way round is swapped, and several records of one key (an engine may split
    a flow) add up. Returns {key: totals} with totals holding `src`, the four
    counters, `tcp_flags_ts`, `tcp_flags_tc` and `records`."""
    orientation = orientation or {}
    sums = {}
    for rec in records:
        key = flow_key(rec)
        values = _counters(rec)
        src = _endpoint(rec, "src")
        total = sums.get(key)
        if total is None:
            total = {"src": orientation.get(key, src), "records": 0, "tcp_flags_ts": None, "tcp_flags_tc": None}
            total.update({name: 0 for name in COUNTERS})
            sums[key] = total
        swap = src != total["src"]
        for name in COUNTERS:
            total[SWAPPED[name] if swap else name] += values[name]
        ts, tc = ("tcp_flags_tc", "tcp_flags_ts") if swap else ("tcp_flags_ts", "tcp_flags_tc")
        total[ts] = _or_flags(total[ts], values["tcp_flags_ts"])
        total[tc] = _or_flags(total[tc], values["tcp_flags_tc"])
        total["records"] += 1
    return sums


def describe_key(key):
    proto, endpoints = key
    a, b = sorted(endpoints)
    return f"proto {proto} {a[0]}:{a[1]} <-> {b[0]}:{b[1]}"


def _flags_text(value):
    return "absent" if value is None else f"{value:02x}"


def _compare_totals(key, got, want, check_tcp_flags):
    differences = []
    for name in COUNTERS:
        if got[name] != want[name]:
            differences.append(f"{describe_key(key)}: {name} {got[name]}, expected {want[name]}")
    if check_tcp_flags:
        for name in ("tcp_flags_ts", "tcp_flags_tc"):
            if want[name] is not None and got[name] != want[name]:
                differences.append(
                    f"{describe_key(key)}: {name} {_flags_text(got[name])}, expected {_flags_text(want[name])}"
                )
    return differences


def compare_flows(eve_records, reference_records, check_tcp_flags=True, limit=50):
    """Readable differences between an engine's EVE flow records and reference
    flow lines, per flow key; an empty list means they agree.

    Non-flow records on either side are ignored. Directions are taken from the
    reference's src endpoint. At most `limit` lines plus a count of the rest."""
    want = sum_by_key(reference_flows(reference_records))
    orientation = {key: total["src"] for key, total in want.items()}
    got = sum_by_key(eve_flows(eve_records), orientation)
    differences = []
    for key in sorted(want.keys() - got.keys(), key=describe_key):
        differences.append(f"{describe_key(key)}: missing from EVE (expected {want[key]['pkts_toserver']}"
                           f"+{want[key]['pkts_toclient']} packets)")
    for key in sorted(got.keys() - want.keys(), key=describe_key):
        differences.append(f"{describe_key(key)}: in EVE ({got[key]['pkts_toserver']}"
                           f"+{got[key]['pkts_toclient']} packets) but not in the reference")
    for key in sorted(want.keys() & got.keys(), key=describe_key):
        differences.extend(_compare_totals(key, got[key], want[key], check_tcp_flags))
    if len(differences) > limit:
        rest = len(differences) - limit
        differences = differences[:limit] + [f"... and {rest} more differences"]
    return differences
