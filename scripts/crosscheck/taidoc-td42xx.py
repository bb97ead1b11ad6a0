"""Independent cross-check of the TaiDoc TD-42xx fixtures.

Written from drivers/devices/taidoc-td42xx/PROTOCOL.md, not from the driver's code: §2 each HID
report is a CP2110 data report `n d1..dn` (report id = byte count); §3 packets
`51 CMD M0 M1 M2 M3 DIR CK`, DIR A3 host / A5 meter, CK = sum of bytes 0-6 & 0xFF; §4 the
commands (serial 27/28 reversed hex part 2 then part 1, clock 23, count
2B, record time 25 and value 26 with `idx u16 LE`); §5 the datetime word; §6 the value word and
its flags (meal 01/10, 11 control solution, type 0 glucose, other types skipped), mg/dL with
> 600 / < 20 as HI/LO. A request whose reply is missing or fails its checksum is sent again,
so the last good reply per record counts.

Usage: python3 scripts/crosscheck/taidoc-td42xx.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"


def unwrap(report):
    """The UART bytes of one CP2110 data report (id = byte count), or nothing."""
    n = report[0] if report else 0
    return report[1:1 + n] if 1 <= n <= 63 and len(report) >= n + 1 else b""


def packets(stream, direction):
    """Good packets of one direction: (index of the last byte, packet). Resynchronises on 51."""
    out, i = [], 0
    while i + 8 <= len(stream):
        p = stream[i:i + 8]
        if p[0] == 0x51 and p[6] == direction and sum(p[:7]) & 0xFF == p[7]:
            out.append((i + 7, p))
            i += 8
        else:
            i += 1
    return out


def exchanges(trace):
    """(request packet, reply packet or None, reply time) for each host request, in order."""
    host, meter, times = [], bytearray(), []
    for time, direction, data in trace.events:
        uart = unwrap(data)
        if direction == ">":
            for _, p in packets(uart, 0xA3):
                host.append((len(meter), p))
        else:
            meter += uart
            times += [time] * len(uart)
    replies = packets(bytes(meter), 0xA5)
    out = []
    for k, (start, request) in enumerate(host):
        stop = host[k + 1][0] if k + 1 < len(host) else len(meter)
        good = [(end, p) for end, p in replies if start <= end < stop and p[1] == request[1]]
        out.append((request, good[0][1] if good else None, times[good[0][0]] if good else None))
    return out


def datetime_of(m):
    word = m[0] | m[1] << 8
    return "%04d-%02d-%02dT%02d:%02d:00" % (2000 + (word >> 9), (word >> 5) & 0x0F, word & 0x1F, m[3] & 0x1F, m[2] & 0x3F)


def derive(trace):
    recorded = trace.recorded_s()
    parts, skew, count, times, values = {}, None, None, {}, {}
    for request, reply, time in exchanges(trace):
        if reply is None:
            continue
        cmd, m, idx = request[1], reply[2:6], request[2] | request[3] << 8
        if cmd in (0x27, 0x28):
            parts[cmd] = bytes(reversed(m)).hex().upper()
        elif cmd == 0x23:
            skew = recorded + time - common.local_to_epoch(datetime_of(m)) if recorded is not None else None
        elif cmd == 0x2B:
            count = m[0] | m[1] << 8
        elif cmd == 0x25:
            times[idx] = datetime_of(m)
        elif cmd == 0x26:
            values[idx] = (m[0] | m[1] << 8, (m[2] | m[3] << 8) >> 10)
    if count is None or sorted(values) != list(range(count)) or sorted(times) != list(range(count)):
        raise ValueError(f"count {count}, records read {sorted(values)}")
    serial = parts[0x28] + parts[0x27] if len(parts) == 2 else None
    readings = []
    for i in range(count):
        mg, f = values[i]
        if f & 0x0F != 0:
            continue
        meal = (f >> 4) & 0x03
        if mg > 600:
            obs, flags = common.quantity(GLUCOSE, 600, "mg/dL", ">", "HH"), ["out-of-range:high"]
        elif mg < 20:
            obs, flags = common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL"), ["out-of-range:low"]
        else:
            obs, flags = common.quantity(GLUCOSE, mg, "mg/dL"), []
        flags += {1: ["meal:before"], 2: ["meal:after"], 3: ["control-solution"]}.get(meal, [])
        effective, clock, clock_flags = common.stored_clock(times[i], skew)
        readings.append({"kind": "control" if meal == 3 else "patient", "serial": serial, "deviceTime": times[i],
                         "effectiveTime": effective, "clock": clock, "sequence": None, "observations": [obs],
                         "flags": flags + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "taidoc-td42xx", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
