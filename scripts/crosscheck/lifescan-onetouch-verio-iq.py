"""Independent cross-check of the OneTouch Verio IQ fixtures.

Written from drivers/devices/lifescan-onetouch-verio-iq/PROTOCOL.md, not from the driver's code:
§3 packets `02 LEN 00 PFX CMD… 03 CRC_lo CRC_hi`, CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF)
over STX..ETX, the reply prefix not checked, status 06; §5 the commands (serial `0B 01 02`, unit
`09 02 02`, clock `20 02` in seconds since 2000-01-01, count `27 00`, record `21 <i>`); §6 the
record (u32 time, u16 mg/dL, control byte 01 = control solution, meal 01/02), mg/dL always on
41653-7, `display-unit:mmol/L`, > 600 / < 20 codes. Each request gets one reply; a request whose
reply is missing or fails its CRC is sent again (§7), so the last good reply per record counts.

Usage: python3 scripts/crosscheck/lifescan-onetouch-verio-iq.py [fixtures-dir]
"""

import datetime as dt
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"
EPOCH_2000 = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def crc16_ccitt_false(data):
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def packets(stream):
    """Good packets in a byte stream: (index of the last byte, message). Resynchronises on STX."""
    out, i = [], 0
    while i < len(stream):
        if stream[i] == 0x02 and i + 1 < len(stream):
            n = stream[i + 1]
            p = stream[i:i + n]
            if n >= 6 and len(p) == n and p[n - 3] == 0x03 and crc16_ccitt_false(p[:n - 2]) == p[n - 2] | p[n - 1] << 8:
                out.append((i + n - 1, p[3:n - 3]))
                i += n
                continue
        i += 1
    return out


def exchanges(trace):
    """(request message, reply message or None, reply time) for each host request, in order."""
    host, meter, times = [], bytearray(), []
    for time, direction, data in trace.events:
        if direction == ">":
            for _, msg in packets(data):
                host.append((len(meter), msg))
        else:
            meter += data
            times += [time] * len(data)
    replies = packets(bytes(meter))
    out = []
    for k, (start, msg) in enumerate(host):
        stop = host[k + 1][0] if k + 1 < len(host) else len(meter)
        good = [(end, m) for end, m in replies if start <= end < stop]
        out.append((msg, good[0][1] if good else None, times[good[0][0]] if good else None))
    return out


def local_time(seconds):
    return (EPOCH_2000 + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")


def derive(trace):
    recorded = trace.recorded_s()
    serial, display, skew, count, records = None, [], None, None, {}
    for request, reply, time in exchanges(trace):
        if reply is None:
            continue
        assert reply[1] == 0x06, f"status {reply[1]:02x}"
        body, command = reply[2:], request[1:]
        if command == b"\x0b\x01\x02":
            serial = body.split(b"\x00")[0].decode("ascii")
        elif command == b"\x09\x02\x02":
            display = ["display-unit:mmol/L"] if body[0] == 1 else []
        elif command == b"\x20\x02":
            meter = (EPOCH_2000 + dt.timedelta(seconds=struct.unpack("<I", body[:4])[0])).timestamp()
            skew = recorded + time - meter if recorded is not None else None
        elif command == b"\x27\x00":
            count = struct.unpack("<H", body[:2])[0]
        elif command[:1] == b"\x21":
            records[struct.unpack("<H", command[1:3])[0]] = struct.unpack("<IHBB", body[:8])
    if count is None or sorted(records) != list(range(count)):
        raise ValueError(f"count {count}, records read {sorted(records)}")
    readings = []
    for i in range(count):
        seconds, mg, control, meal = records[i]
        device_time = local_time(seconds)
        if mg > 600:
            obs, flags = common.quantity(GLUCOSE, 600, "mg/dL", ">", "HH"), ["out-of-range:high"]
        elif mg < 20:
            obs, flags = common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL"), ["out-of-range:low"]
        else:
            obs, flags = common.quantity(GLUCOSE, mg, "mg/dL"), []
        if control == 1:
            flags.append("control-solution")
        flags += {1: ["meal:before"], 2: ["meal:after"]}.get(meal, [])
        effective, clock, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": "control" if control == 1 else "patient", "serial": serial, "deviceTime": device_time,
                         "effectiveTime": effective, "clock": clock, "sequence": None, "observations": [obs],
                         "flags": flags + display + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "lifescan-onetouch-verio-iq", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
