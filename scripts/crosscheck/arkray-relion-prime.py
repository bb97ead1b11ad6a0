"""Independent cross-check of the Arkray ReliOn Prime / GLUCOCARD Vital fixtures.

Written from drivers/devices/arkray-relion-prime/PROTOCOL.md alone (§2 lines
`<STX>…<ETB>CC<CR><LF>` with the E1381 sum; §3 header field 5 `model^version^serial`, `T|HHmm|`,
`D|YYMMDD|`; §4 records `III|` + 16 characters: value byte-swapped, `mmHHDDMMYY`, flags 01 HI,
02 LO, 04 control), not from the driver's code. Each record index is taken from its last reply
whose sum holds; records come newest (highest index) first.

Usage: python3 scripts/crosscheck/arkray-relion-prime.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"
LINE = re.compile(rb"\x02([^\x02\x17]*)\x17([0-9A-F]{2})\r\n")


def lines(trace):
    """(time, content) of every meter line whose E1381 sum holds."""
    stream, times = bytearray(), []
    for time, direction, data in trace.events:
        if direction == "<":
            stream += data
            times += [time] * len(data)
    out = []
    for m in LINE.finditer(bytes(stream)):
        content = m.group(1)
        if (sum(content) + 0x17) & 0xFF == int(m.group(2), 16):
            out.append((times[m.end() - 1], content.decode("latin-1")))
    return out


def derive(trace):
    recorded = trace.recorded_s()
    serial, hhmm, date, date_at, records = None, None, None, None, {}
    for time, content in lines(trace):
        if re.match(r"^\dH\|", content):
            serial = content.split("|")[4].split("^")[2]
        elif content.startswith("T|"):
            hhmm = content[2:6]
        elif content.startswith("D|"):
            date, date_at = content[2:8], time
        elif re.match(r"^[0-9A-F]{3}\|", content):
            records[int(content[:3], 16)] = content[4:20]
    skew = None
    if recorded is not None and hhmm and date:
        meter = common.local_to_epoch(f"20{date[0:2]}-{date[2:4]}-{date[4:6]}T{hhmm[0:2]}:{hhmm[2:4]}:00")
        skew = recorded + date_at - meter
    readings = []
    for index in sorted(records, reverse=True):
        r = records[index]
        value = int(r[2:4] + r[0:2], 16)
        mm, hh, dd, mo, yy = (r[i:i + 2] for i in range(4, 14, 2))
        flags_bits = int(r[14:16], 16)
        device_time = f"20{yy}-{mo}-{dd}T{hh}:{mm}:00"
        flags = ["control-solution"] if flags_bits & 4 else []
        if flags_bits & 1:
            obs = common.quantity(GLUCOSE, value, "mg/dL", ">", "HH")
            flags.append("out-of-range:high")
        elif flags_bits & 2:
            obs = common.quantity(GLUCOSE, value, "mg/dL", "<", "LL")
            flags.append("out-of-range:low")
        else:
            obs = common.quantity(GLUCOSE, value, "mg/dL")
        effective, clock, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": "control" if flags_bits & 4 else "patient", "serial": serial, "deviceTime": device_time,
                         "effectiveTime": effective, "clock": clock, "observations": [obs], "flags": flags + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "arkray-relion-prime", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
