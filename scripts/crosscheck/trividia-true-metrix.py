"""Independent cross-check of the Trividia TRUE Metrix fixtures.

Written from drivers/devices/trividia-true-metrix/PROTOCOL.md alone (§1 input reports: byte 0
counts the ASCII bytes that follow; §2 messages `(payload)XX` with the 8-bit sum including the
parentheses, and the `x` download sum over the `g5` bodies; §3 the `t` clock `ssmmHHDDMMYY`;
§4 the `g5` record nibbles, HI above 600 and LO below 20 mg/dL), not from the driver's code.
Records come only from the last `(G)` transfer whose messages and `x` sum all hold.

Usage: python3 scripts/crosscheck/trividia-true-metrix.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"
MESSAGE = re.compile(r"\(([^()]*)\)([0-9A-F]{2})")


def messages(trace):
    """(time of the report that ended it, payload, checksum good) for every meter message."""
    out, text, ends = [], "", []
    for time, direction, data in trace.events:
        if direction != "<" or not data:
            continue
        n = data[0]
        if n > 63 or 1 + n > len(data):
            continue  # a refused report (§1)
        text += data[1:1 + n].decode("latin-1")
        ends.append((len(text), time))
    for m in MESSAGE.finditer(text):
        payload = m.group(1)
        good = (sum(payload.encode("latin-1")) + 0x28 + 0x29) & 0xFF == int(m.group(2), 16)
        time = next(t for end, t in ends if end >= m.end())
        out.append((time, payload, good))
    return out


def derive(trace):
    recorded = trace.recorded_s()
    serial, clock, clock_at, final, batch, broken = None, None, None, None, [], False
    for time, payload, good in messages(trace):
        if payload.startswith("g5"):
            batch.append(payload[2:])
            broken = broken or not good
        elif not good:
            broken = True
        elif payload.startswith("z1"):
            serial = payload[2:]
        elif payload.startswith("t"):
            clock, clock_at = payload[1:], time
        elif payload.startswith("x"):
            total = sum(sum(b.encode("latin-1")) for b in batch) & 0xFFFF
            if not broken and total == int(payload[2:], 16):
                final = list(batch)
            batch, broken = [], False
    if final is None:
        raise ValueError("no (G) transfer passed its checks")
    skew = None
    if recorded is not None and clock and clock != "000000000000":
        ss, mm, hh, dd, mo, yy = (int(clock[i:i + 2]) for i in range(0, 12, 2))
        skew = recorded + clock_at - common.local_to_epoch(f"20{yy:02d}-{mo:02d}-{dd:02d}T{hh:02d}:{mm:02d}:{ss:02d}")
    readings = []
    for body in final:
        month = int(body[0], 16)
        ddyy, hhmm = int(body[1:4], 16), int(body[4:7], 16)
        value = ((int(body[7], 16) & 7) << 8) + int(body[8:10], 16)
        control = body[11] != "0"
        device_time = f"20{ddyy % 100:02d}-{month:02d}-{ddyy // 100:02d}T{hhmm // 100:02d}:{hhmm % 100:02d}:00"
        flags = ["control-solution"] if control else []
        if value > 600:
            obs = common.quantity(GLUCOSE, 600, "mg/dL", ">", "HH")
            flags.append("out-of-range:high")
        elif value < 20:
            obs = common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL")
            flags.append("out-of-range:low")
        else:
            obs = common.quantity(GLUCOSE, value, "mg/dL")
        if skew is None:
            flags.append("meter-clock-unset")
        effective, clk, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": "control" if control else "patient", "serial": serial, "deviceTime": device_time,
                         "effectiveTime": effective, "clock": clk, "observations": [obs], "flags": flags + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "trividia-true-metrix", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
