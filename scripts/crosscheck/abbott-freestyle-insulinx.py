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
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"


def replies(trace):
    """(command, time of the reply's last report, reply text) per `60` host command."""
    out = []
    for time, direction, data in trace.events:
        kind, length = data[0], data[1] if len(data) > 1 else 0
        if direction == ">":
            if kind == 0x60:
                out.append([data[2:2 + length].decode("latin-1"), None, ""])
        elif kind == 0x60 and out and not out[-1][2].endswith(("CMD OK\r\n", "CMD Fail!\r\n")):
            out[-1][2] += data[2:2 + length].decode("latin-1")
            out[-1][1] = time
    return out


def message(text):
    m = re.fullmatch(r"(.*)CKSM:([0-9A-F]{8})\r\nCMD OK\r\n", text, re.S)
    if not m or sum(m.group(1).encode("latin-1")) != int(m.group(2), 16):
        return None
    return m.group(1)


def records(msg):
    if msg == "Log Empty\r\n":
        return []
    m = re.fullmatch(r"((?:.*\r\n)+?)(\d+),([0-9A-F]{8})\r\n", msg)
    if not m or sum(m.group(1).encode("latin-1")) != int(m.group(3), 16):
        return None
    lines = m.group(1).split("\r\n")[:-1]
    return lines if len(lines) == int(m.group(2)) else None


def derive(trace):
    recorded = trace.recorded_s()
    serial, date, clock_time, clock_at, dump = None, None, None, None, None
    for command, time, text in replies(trace):
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
    skew = None
    if recorded is not None and date and clock_time and not lost:
        meter = common.local_to_epoch(f"20{date[2]:02d}-{date[0]:02d}-{date[1]:02d}T{clock_time[0]:02d}:{clock_time[1]:02d}:00")
        skew = recorded + clock_at - meter
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
