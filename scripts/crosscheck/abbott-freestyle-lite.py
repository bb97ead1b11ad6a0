"""Independent cross-check of the FreeStyle Lite fixtures.

Written from drivers/devices/abbott-freestyle-lite/PROTOCOL.md, not from the driver's code:
§3 the host sends `$mem` CR LF; §4 the dump (empty line, serial, version, clock, count, bare LF,
records newest first, `0xHHHH  END` = 16-bit sum of every byte before it, stray 0x03 before the
dump dropped, `Log Empty` for an empty meter); the record layout, HI/LO as >500 / <20 mg/dL,
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

GLUCOSE = "41653-7"
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
RECORD = re.compile(r"^(\d{3}|HI |LO )  ([A-Za-z]{3}[A-Za-z ]) (\d\d) (\d{4}) (\d\d):(\d\d) (\w\w) 0x([0-9A-F]{2})$")
CLOCK = re.compile(r"^([A-Za-z]{3}[A-Za-z ]) (\d\d) (\d{4}) (\d\d):(\d\d):(\d\d)$")


def replies(trace, command):
    """Time of the first reply byte and the reply bytes, for every `command` the host sent."""
    out, current = [], None
    for time, direction, data in trace.events:
        if direction == ">":
            current = [time, b""] if data.strip() == command else None
            if current:
                out.append(current)
        elif current is not None:
            if not current[1]:
                current[0] = time
            current[1] += data
    return out


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
    # lines: '', serial, version, clock, count, '\n' + first record, ..., ''
    serial, clock, count = lines[1], lines[3], int(lines[4])
    records = [line.lstrip("\n") for line in lines[5:] if line.strip("\n")]
    if m and len(records) != count:
        return None
    return clock, serial, records


def local(month, day, year, hour, minute, second=0):
    return dt.datetime(int(year), MONTHS.index(month[:3].lower()) + 1, int(day), int(hour), int(minute), int(second)).strftime("%Y-%m-%dT%H:%M:%S")


def derive(trace):
    recorded = trace.recorded_s()
    dump, at = None, 0.0
    for time, data in replies(trace, b"$mem"):
        checked = good_dump(data)
        if checked:
            dump, at = checked, time
    if dump is None:
        raise ValueError("no $mem answer adds up")
    clock, serial, records = dump
    meter = dt.datetime.strptime(local(*CLOCK.match(clock).groups()), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp()
    skew = recorded + at - meter
    readings = []
    for line in records:
        value, month, day, year, hour, minute, _type, status = RECORD.match(line).groups()
        status = int(status, 16)
        kind, flags = ("control", ["control-solution"]) if status & 1 else ("patient", [])
        if status & 2:
            flags.append("meter-clock-lost")
        if value == "HI ":
            obs = common.quantity(GLUCOSE, 500, "mg/dL", ">", "HH")
            flags.append("out-of-range:high")
        elif value == "LO ":
            obs = common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL")
            flags.append("out-of-range:low")
        else:
            obs = common.quantity(GLUCOSE, int(value), "mg/dL")
        device_time = local(month, day, year, hour, minute)
        effective, clock_fact, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": kind, "serial": serial, "deviceTime": device_time, "effectiveTime": effective,
                         "clock": clock_fact, "sequence": None, "observations": [obs], "flags": flags + clock_flags, "_line": line})
    readings.sort(key=lambda r: (r["deviceTime"], r["_line"]))
    for r in readings:
        del r["_line"]
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "abbott-freestyle-lite", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
