"""Independent cross-check of the SD CodeFree fixtures.

Written from drivers/devices/sd-codefree/PROTOCOL.md, not from the driver's code: §2 packets
`53 DIR LEN MSG CK AA` with LEN = len(MSG) + 2 and CK the XOR of MSG, DIR 20 from the meter;
§3 the count message `30 <count u16 BE>` and one 17-byte record message per fetch, newest first;
§4 the record `?? ?? YY MM DD hh mm VALUE(u16 BE) MEAL` + 7 bytes, mg/dL, meal 10 before / 20 after,
no control, HI/LO or clock. Anything before a 53 (the spurious 00) is skipped.

Usage: python3 scripts/crosscheck/sd-codefree.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"


def messages(stream):
    """Messages of the good meter packets in a byte stream."""
    out, i = [], 0
    while i + 3 <= len(stream):
        if stream[i] == 0x53 and stream[i + 1] == 0x20:
            n = stream[i + 2]
            p = stream[i:i + 3 + n]
            if n >= 3 and len(p) == 3 + n and p[-1] == 0xAA:
                msg = p[3:-2]
                x = 0
                for b in msg:
                    x ^= b
                if x == p[-2]:
                    out.append(msg)
                    i += 3 + n
                    continue
        i += 1
    return out


def derive(trace):
    meter = bytearray()
    for _, direction, data in trace.events:
        if direction == "<":
            meter += data
    msgs = messages(bytes(meter))
    count = None
    readings = []
    for m in msgs:
        if m[0] == 0x30 and len(m) == 22:
            count = m[1] << 8 | m[2]
        elif len(m) == 17:
            device_time = "20%02d-%02d-%02dT%02d:%02d:00" % (m[2], m[3], m[4], m[5], m[6])
            flags = {0x10: ["meal:before"], 0x20: ["meal:after"]}.get(m[9], [])
            effective, clock, clock_flags = common.stored_clock(device_time, None)
            readings.append({"kind": "patient", "serial": None, "deviceTime": device_time, "effectiveTime": effective,
                             "clock": clock, "sequence": None,
                             "observations": [common.quantity(GLUCOSE, m[7] << 8 | m[8], "mg/dL")], "flags": flags + clock_flags})
    if count is None or len(readings) != count:
        raise ValueError(f"count {count}, records {len(readings)}")
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "sd-codefree", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
