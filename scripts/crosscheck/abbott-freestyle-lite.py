"""Independent cross-check of the FreeStyle Lite fixtures.

Written from drivers/devices/abbott-freestyle-lite/PROTOCOL.md, not from the driver's code:
§3 the host sends `$mem` CR LF; §4 the dump (empty line, serial, version, clock, count, bare LF,
records newest first, `0xHHHH  END` = 16-bit sum of every byte before it, stray 0x03 before the
dump dropped, `Log Empty` for an empty meter, with or without the header); the record layout, HI/LO as >500 / <20 mg/dL,
status bit 0 control solution, bit 1 lost time. Only the last dump that adds up counts (a bad one
is asked for again); readings oldest first.

Usage: python3 scripts/crosscheck/abbott-freestyle-lite.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from freestyle_family import glucose, local, oldest_first, serial_replies, status_flags  # noqa: E402


RECORD = re.compile(r"^(\d{3}|HI |LO )  ([A-Za-z]{3}[A-Za-z ]) (\d\d) (\d{4}) (\d\d):(\d\d) (\w\w) 0x([0-9A-F]{2})$")
CLOCK = re.compile(r"^([A-Za-z]{3}[A-Za-z ]) (\d\d) (\d{4}) (\d\d):(\d\d):(\d\d)$")


def good_dump(data):
    """(clock text, serial, record lines) when the dump adds up, else None."""
    data = data.lstrip(b"\x03")
    m = re.search(rb"0x([0-9A-F]{4})  END\r\n", data)
    if m:
        body = data[: m.start()]
        if sum(body) % 65536 != int(m.group(1), 16):
            return None
    elif b"Log Empty" in data:
        body = data[: data.index(b"Log Empty")]
    else:
        return None
    lines = body.decode("latin-1").split("\r\n")
    if not m and len(lines) < 5:
        # `Log Empty END` in place of the header (PROTOCOL.md §4): an empty meter, no clock.
        return None, None, []
    # lines: '', serial, version, clock, count, '\n' + first record, ..., ''
    serial, clock, count = lines[1], lines[3], int(lines[4])
    records = [line.lstrip("\n") for line in lines[5:] if line.strip("\n")]
    if m and len(records) != count:
        return None
    return clock, serial, records


def derive(trace):
    recorded = trace.recorded_s()
    dump, at = None, 0.0
    for time, data in serial_replies(trace, b"$mem"):
        checked = good_dump(data)
        if checked:
            dump, at = checked, time
    if dump is None:
        raise ValueError("no $mem answer adds up")
    clock, serial, records = dump
    if not records:
        return []
    meter = dt.datetime.strptime(local(*CLOCK.match(clock).groups()), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp()
    skew = recorded + at - meter
    readings = []
    for line in records:
        value, month, day, year, hour, minute, _type, status = RECORD.match(line).groups()
        kind, flags = status_flags(int(status, 16))
        obs, range_flags = glucose(value)
        flags += range_flags
        device_time = local(month, day, year, hour, minute)
        effective, clock_fact, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": kind, "serial": serial, "deviceTime": device_time, "effectiveTime": effective,
                         "clock": clock_fact, "sequence": None, "observations": [obs], "flags": flags + clock_flags, "_line": line})
    return oldest_first(readings)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "abbott-freestyle-lite", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
