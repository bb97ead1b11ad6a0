"""Independent cross-check of the Arkray GLUCOCARD Expression fixtures.

Written from drivers/devices/arkray-glucocard-expression/PROTOCOL.md alone (§2 packets
`DD OP P0..P7 CK` with CK = (OP + sum of P) & 0xFF; the `0F` serial reversed; the `07` clock;
§4 records with their field sum, HI >= 600 and LO <= 20 mg/dL, FF×8 empty), not from the
driver's code. Records come from the last READ GLUCOSE whose 300 packets and field sums all hold.

Usage: python3 scripts/crosscheck/arkray-glucocard-expression.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"


def packets(trace):
    """(time, opcode, payload) of every meter packet whose checksum holds, in order."""
    stream, times = bytearray(), []
    for time, direction, data in trace.events:
        if direction == "<":
            stream += data
            times += [time] * len(data)
    out, i = [], 0
    while i + 11 <= len(stream):
        if stream[i] == 0xDD and sum(stream[i + 1:i + 10]) & 0xFF == stream[i + 10]:
            out.append((times[i + 10], stream[i + 1], bytes(stream[i + 2:i + 10])))
            i += 11
        else:
            i += 1
    return out


def day_time(lo, hi):
    v = lo | hi << 8
    return v & 0x1F, (v >> 5) & 0x1F, v >> 10


def slot(p):
    """(record fields) or 'empty' or None (field sum wrong)."""
    if p == b"\xff" * 8:
        return "empty"
    unit, yy, month, control = p[0] >> 7, p[0] & 0x7F, p[1] >> 4, p[1] & 1
    day, hour, minute = day_time(p[2], p[3])
    value, stated = p[4] | p[5] << 8, p[6] | p[7] << 8
    if (yy + unit + control + month + day + hour + minute + value) & 0xFFFF != stated:
        return None
    return unit, yy, month, day, hour, minute, value, control


def derive(trace):
    recorded = trace.recorded_s()
    serial, skew, batch, final = None, None, [], None
    for time, op, p in packets(trace):
        if op == 0x0F:
            serial = p[::-1].decode("latin-1").strip("\0 ")
        elif op == 0x07:
            day, hour, minute = day_time(p[2], p[3])
            meter = common.local_to_epoch(f"{2000 + (p[0] & 0x7F):04d}-{p[1] & 0x0F:02d}-{day:02d}T{hour:02d}:{minute:02d}:00")
            skew = recorded + time - meter if recorded is not None else None
        elif op == 0x10:
            batch.append(slot(p))
            if len(batch) == 300:
                if None not in batch:
                    final = batch
                batch = []
    if final is None:
        raise ValueError("no whole READ GLUCOSE")
    readings = []
    for s in final:
        if s == "empty":
            continue
        unit, yy, month, day, hour, minute, value, control = s
        device_time = f"{2000 + yy:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00"
        flags = ["control-solution"] if control else []
        if value >= 600:
            obs = common.quantity(GLUCOSE, 600, "mg/dL", ">", "HH")
            flags.append("out-of-range:high")
        elif value <= 20:
            obs = common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL")
            flags.append("out-of-range:low")
        else:
            obs = common.quantity(GLUCOSE, value, "mg/dL")
        effective, clock, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": "control" if control else "patient", "serial": serial, "deviceTime": device_time,
                         "effectiveTime": effective, "clock": clock, "observations": [obs], "flags": flags + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "arkray-glucocard-expression", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
