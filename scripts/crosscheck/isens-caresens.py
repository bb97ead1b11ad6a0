"""Independent cross-check of the i-SENS CareSens (iSPc protocol 3) fixtures.

Written from drivers/devices/isens-caresens/PROTOCOL.md, not from the driver's code: §2 each HID
report is a CP2110 data report `n d1..dn` (report id = byte count); §3 the ECHO byte 80 and its
answer; §4 frames `02 'iSPc' LEN C1..C4 payload CRC_hi CRC_lo 03`, CRC-16/CCITT-FALSE over the
frame without its CRC bytes, big-endian, not checked on GLUE replies; §5 RSNB (ASCII serial, last
byte dropped), RTIM (YY MM DD hh mm ss), NCOT (u16 BE), GLUE (start u16 BE, count) with 9-byte
records `YY MM DD hh mm ss FLAGS VALUE(u16 BE)`; flags 01 control, 02 post-meal, 04 LO, 08 HI,
10 fasting, 40 ketone (value/10 mmol/L, HI > 8.0), 80 LO/HI valid; glucose mg/dL with > 600 / < 20
as HI/LO. A request whose reply is missing, fails its CRC or is an error reply is sent again, so
the first good reply after the last send counts.

The same driver reads the ReliOn Premier / GLUCOCARD Shine on a serial cable (fixtures serial-*):
on a trace whose `# transport:` is serial, each event is already UART bytes.

Usage: python3 scripts/crosscheck/isens-caresens.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"
KETONE = "66441-7"


def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def unwrap(report):
    n = report[0] if report else 0
    return report[1:1 + n] if 1 <= n <= 63 and len(report) >= n + 1 else b""


def frames(stream):
    """(index of the last byte, command, payload) of each good frame in a byte stream."""
    out, i = [], 0
    while i + 6 <= len(stream):
        if stream[i] != 0x02 or stream[i + 1:i + 5] != b"iSPc":
            i += 1
            continue
        n = stream[i + 5]
        f = stream[i:i + 6 + n]
        if n < 7 or len(f) < 6 + n or f[-1] != 0x03:
            i += 1
            continue
        cmd = f[6:10].decode("latin-1")
        if cmd == "GLUE" or crc16(f[:-3] + f[-1:]) == (f[-3] << 8 | f[-2]):
            out.append((i + len(f) - 1, cmd, f[10:-3]))
        i += len(f)
    return out


def exchanges(trace):
    """(request command, request payload, reply payload or None, reply time) per host request:
    the reply is the first good frame of the same command before the next request."""
    hid = trace.headers.get("transport", "").startswith("hid")
    host, meter, times = [], bytearray(), []
    for time, direction, data in trace.events:
        uart = unwrap(data) if hid else bytes(data)
        if direction == ">":
            for _, cmd, payload in frames(uart):
                host.append((len(meter), cmd, payload))
        else:
            meter += uart
            times += [time] * len(uart)
    replies = frames(bytes(meter))
    out = []
    for k, (start, cmd, payload) in enumerate(host):
        stop = host[k + 1][0] if k + 1 < len(host) else len(meter)
        good = [(end, p) for end, c, p in replies if start <= end < stop and c == cmd]
        out.append((cmd, payload, good[0][1] if good else None, times[good[0][0]] if good else None))
    return out


def time_of(b):
    return "%04d-%02d-%02dT%02d:%02d:%02d" % (2000 + b[0], b[1], b[2], b[3], b[4], b[5])


def derive(trace):
    recorded = trace.recorded_s()
    serial, skew, count, records = None, None, None, {}
    for cmd, request, reply, time in exchanges(trace):
        if reply is None:
            continue
        if cmd == "RSNB":
            serial = reply[:-1].decode("ascii").strip()
        elif cmd == "RTIM":
            skew = recorded + time - common.local_to_epoch(time_of(reply)) if recorded is not None else None
        elif cmd == "NCOT":
            count = reply[0] << 8 | reply[1]
        elif cmd == "GLUE":
            start, asked = request[0] << 8 | request[1], request[2]
            if len(reply) != 9 * asked:
                continue
            for j in range(asked):
                records[start + j] = reply[9 * j:9 * j + 9]
    if count is None or sorted(records) != list(range(1, count + 1)):
        raise ValueError(f"count {count}, records read {sorted(records)}")
    readings = []
    for i in range(1, count + 1):
        r = records[i]
        flags, value = r[6], r[7] << 8 | r[8]
        valid = flags & 0x80
        out = []
        if flags & 0x40:
            if valid and flags & 0x04:
                continue
            if (valid and flags & 0x08) or value / 10 > 8.0:
                obs, out = common.quantity(KETONE, 8, "mmol/L", ">", "HH"), ["out-of-range:high"]
            else:
                obs = common.quantity(KETONE, value / 10, "mmol/L")
        elif (valid and flags & 0x08) or value > 600:
            obs, out = common.quantity(GLUCOSE, 600, "mg/dL", ">", "HH"), ["out-of-range:high"]
        elif (valid and flags & 0x04) or value < 20:
            obs, out = common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL"), ["out-of-range:low"]
        else:
            obs = common.quantity(GLUCOSE, value, "mg/dL")
        if flags & 0x01:
            out.append("control-solution")
        if flags & 0x10:
            out.append("meal:fasting")
        if flags & 0x02:
            out.append("meal:after")
        device_time = time_of(r)
        effective, clock, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": "control" if flags & 0x01 else "patient", "serial": serial, "deviceTime": device_time,
                         "effectiveTime": effective, "clock": clock, "sequence": None, "observations": [obs],
                         "flags": out + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "isens-caresens", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
