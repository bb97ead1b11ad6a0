"""Independent cross-check of the FreeStyle InsuLinx fixtures.

Written from drivers/devices/abbott-freestyle-insulinx/PROTOCOL.md (§2 the FreeStyle HID reports
and text replies with their `CKSM:` and `count,checksum` trailers, §3 the `$result?` record, §4
the clock), not from the driver's code. A reply is the `60` payloads after a command up to
`CMD OK\r\n` / `CMD Fail!\r\n` (keep-alives and other report types left out); records come only
from the last `$result?` reply whose `CKSM`, inner sum and count all hold. Type 0 records are
glucose (field 14, mg/dL; a value that is no number stays unmapped text); other types are left out.

Usage: python3 scripts/crosscheck/abbott-freestyle-insulinx.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from freestyle_family import GLUCOSE, hid_replies, hid_skew, message, records  # noqa: E402


def derive(trace):
    recorded = trace.recorded_s()
    serial, date, clock_time, clock_at, dump = None, None, None, None, None
    for command, time, text in hid_replies(trace):
        msg = message(text)
        if msg is None:
            continue
        body = msg.strip()
        if command == "$serlnum?":
            serial = body
        elif command == "$date?":
            date = [int(x) for x in body.split(",")]
        elif command == "$time?":
            clock_time, clock_at = [int(x) for x in body.split(",")], time
        elif command == "$result?" and records(msg) is not None:
            dump = records(msg)
    if dump is None:
        raise ValueError("no $result? reply passed its checksums")
    lost = date == [255, 255, 255]
    skew = None if lost else hid_skew(recorded, date, clock_time, clock_at)
    readings = []
    for line in dump:
        f = line.split(",")
        if f[0] != "0":
            continue
        mo, d, y, h, mi = (int(x) for x in f[2:7])
        device_time = f"20{y:02d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:00"
        effective, clock, flags = common.stored_clock(device_time, skew)
        value = f[13]
        if value.isdigit():
            obs = common.quantity(GLUCOSE, int(value), "mg/dL")
        else:
            obs = {"code": GLUCOSE, "kind": "unmapped", "label": "glucose", "value": value, "interpretation": None}
        if lost:
            flags = flags + ["meter-clock-unset"]
        readings.append({"kind": "patient", "serial": serial, "deviceTime": device_time, "effectiveTime": effective,
                         "clock": clock, "sequence": f[1], "observations": [obs], "flags": flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "abbott-freestyle-insulinx", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
