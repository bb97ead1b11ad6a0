"""Independent cross-check of the FreeStyle Optium / Precision Xtra fixtures.

Written from drivers/devices/abbott-freestyle-optium/PROTOCOL.md, not from the driver's code:
§4 `$colq` (S/N, Ver with the unit text, Clock, CMD OK); §5 the `$xmem` dump (empty line, serial,
version, clock, count, records newest first, `0xHHHH  END` = 16-bit sum of every byte before it),
record type G (glucose, mg/dL; HI/LO = >500 / <20) or K (β-ketone, raw / 18 = mmol/L to one
decimal; HI = >8.0), status bit 0 control, bit 1 lost time; the clock skew from the `$colq`
answer. Only the last dump that adds up counts; readings oldest first.

Usage: python3 scripts/crosscheck/abbott-freestyle-optium.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from freestyle_family import glucose, local, oldest_first, serial_replies, status_flags  # noqa: E402


KETONE = "66441-7"
RECORD = re.compile(r"^(\d{3}|HI |LO )  ([A-Za-z]{3}[A-Za-z ]) (\d\d) (\d{4}) (\d\d):(\d\d) ([GK]) 0x([0-9A-F]{2})$")


def colq(data):
    """serial, unit text, meter clock (local text) from a `$colq` answer that ends in CMD OK."""
    text = data.decode("latin-1")
    if "CMD OK" not in text:
        return None
    fields = {}
    for line in text.split("\r\n"):
        parts = line.split("\t")
        if parts[0].endswith(":"):
            fields[parts[0][:-1]] = parts[1:]
    m = re.match(r"^(\w{3}) +(\d\d) (\d{4})$", fields["Clock"][0])
    h, mi, s = fields["Clock"][1].split(":")
    return fields["S/N"][0], " ".join(fields["Ver"][1:]), local(m.group(1), m.group(2), m.group(3), h, mi, s)


def good_dump(data):
    """Record lines of a dump that adds up (and matches its count), [] for an empty meter, else None."""
    m = re.search(rb"0x([0-9A-F]{4})  END\r\n", data)
    if not m:
        return [] if b"Log Empty" in data else None
    body = data[: m.start()]
    if sum(body) % 65536 != int(m.group(1), 16):
        return None
    lines = body.decode("latin-1").split("\r\n")
    records = [line for line in lines[5:] if line]
    return records if len(records) == int(lines[4]) else None


def derive(trace):
    recorded = trace.recorded_s()
    info, at = None, 0.0
    for time, data in serial_replies(trace, b"$colq"):
        got = colq(data)
        if got:
            info, at = got, time
    records = None
    for _time, data in serial_replies(trace, b"$xmem"):
        checked = good_dump(data)
        if checked is not None:
            records = checked
    if info is None or records is None:
        raise ValueError("no $colq answer or no $xmem dump that adds up")
    serial, unit, clock = info
    meter = dt.datetime.strptime(clock, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp()
    skew = recorded + at - meter
    readings = []
    for line in records:
        value, month, day, year, hour, minute, kind_letter, status = RECORD.match(line).groups()
        kind, flags = status_flags(int(status, 16))
        if kind_letter == "K":
            if value == "HI ":
                obs = common.quantity(KETONE, 8, "mmol/L", ">", "HH")
                flags.append("out-of-range:high")
            else:
                obs = common.quantity(KETONE, round(int(value) / 18 * 10) / 10, "mmol/L")
        else:
            obs, range_flags = glucose(value)
            flags += range_flags
            if "MMOL" in unit.upper():
                flags.append("display-unit:mmol/L")
        device_time = local(month, day, year, hour, minute)
        effective, clock_fact, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": kind, "serial": serial, "deviceTime": device_time, "effectiveTime": effective,
                         "clock": clock_fact, "sequence": None, "observations": [obs], "flags": flags + clock_flags, "_line": line})
    return oldest_first(readings)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "abbott-freestyle-optium", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
