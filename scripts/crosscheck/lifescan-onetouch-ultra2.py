"""Independent cross-check of the OneTouch Ultra 2 fixtures.

Written from drivers/devices/lifescan-onetouch-ultra2/PROTOCOL.md, not from the driver's code:
§4 reply lines `<text> SP <4 hex> CR LF`, checksum = sum of the text bytes mod 65536; §5 the
`DMF` clock; §6 the `DMP` header and record layout, the 20–600 range, the HI/LO words, `C`
(control), `?` (parity), meal and comment codes, display unit; readings oldest first.
Only the last `DMP` answer counts (§6 "Reading the dump": a damaged dump is asked again).

Usage: python3 scripts/crosscheck/lifescan-onetouch-ultra2.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

GLUCOSE = "41653-7"
COMMENTS = ["not-enough-food", "too-much-food", "mild-exercise", "hard-exercise", "medication",
            "stress", "illness", "feel-hypo", "menses", "vacation", "other"]
LINE = re.compile(r"^(.*) ([0-9A-F]{4})$")
RECORD = re.compile(r'^P "(\w{3})","(\d\d)/(\d\d)/(\d\d)","(\d\d):(\d\d):(\d\d)   ","(.{6})","(.)","(\d\d)", ?.{1,4}$')
HEADER = re.compile(r'^P (\d{3}),"(.{9})","(MG/DL |MMOL/L)"$')


def checked_lines(data):
    """Reply lines whose checksum holds (§4); lines that fail are left out."""
    out = []
    for raw in re.split(rb"\r\n|\r|\n", data):
        if not raw:
            continue
        m = LINE.match(raw.decode("latin-1"))
        if m and sum(m.group(1).encode("latin-1")) % 65536 == int(m.group(2), 16):
            out.append(m.group(1))
    return out


def answers(trace):
    """(command, receive time of its first reply byte, reply bytes) per host command."""
    result = []
    for time, direction, data in trace.events:
        if direction == ">":
            result.append([data.replace(b"\x11", b"").strip().decode("latin-1"), None, b""])
        elif result:
            if result[-1][1] is None:
                result[-1][1] = time
            result[-1][2] += data
    return result


def value_facts(text):
    """§6 result field → (kind, observation, flags)."""
    t = text.strip()
    kind, flags = "patient", []
    if t.startswith("C"):
        kind, flags, t = "control", ["control-solution"], t[1:].strip()
    if t.endswith("?"):
        flags.append("meter-error:parity")
        t = t[:-1].strip()
    word = t.upper()
    if word in ("HI", "HIGH") or (t.isdigit() and int(t) > 600):
        return kind, common.quantity(GLUCOSE, 600, "mg/dL", ">", "HH"), flags + ["out-of-range:high"]
    if word in ("LO", "LOW") or (t.isdigit() and int(t) < 20):
        return kind, common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL"), flags + ["out-of-range:low"]
    return kind, common.quantity(GLUCOSE, int(t), "mg/dL"), flags


def derive(trace):
    recorded = trace.recorded_s()
    serial, skew, dump = None, None, None
    for command, time, data in answers(trace):
        lines = checked_lines(data)
        if command == "DM@" and lines:
            serial = re.match(r'^@ "(.*)"$', lines[0]).group(1)
        elif command == "DMF" and lines:
            m = re.match(r'^F "\w{3}","(\d\d)/(\d\d)/(\d\d)","(\d\d):(\d\d):(\d\d)   "$', lines[0])
            mo, d, y, h, mi, s = (int(g) for g in m.groups())
            meter = dt.datetime(2000 + y, mo, d, h, mi, s, tzinfo=dt.timezone.utc).timestamp()
            skew = recorded + time - meter if recorded is not None else None
        elif command == "DMP":
            dump = lines  # the last DMP answer wins
    header = HEADER.match(dump[0]) if dump else None
    if not header:
        raise ValueError("no DMP header")
    records = dump[1:]
    if len(records) != int(header.group(1)):
        raise ValueError(f"DMP announced {header.group(1)} records, {len(records)} passed the checksum")
    display = ["display-unit:mmol/L"] if header.group(3) == "MMOL/L" else []
    readings = []
    for line in records:
        m = RECORD.match(line)
        _, mo, d, y, h, mi, s, value, meal, comment = m.groups()
        device_time = f"20{y}-{mo}-{d}T{h}:{mi}:{s}"
        kind, obs, flags = value_facts(value)
        if meal == "B":
            flags.append("meal:before")
        elif meal == "A":
            flags.append("meal:after")
        elif meal != "N":
            flags.append(f"meal-marker:{meal}")
        code = int(comment)
        if code:
            flags.append("comment:" + (COMMENTS[code - 1] if code <= len(COMMENTS) else f"code-{comment}"))
        effective, clock, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": kind, "serial": serial, "deviceTime": device_time, "effectiveTime": effective,
                         "clock": clock, "sequence": None, "observations": [obs],
                         "flags": flags + display + clock_flags})
    # §6: emitted oldest first, sorted by meter time (a stable sort keeps same-second records in dump order)
    readings.sort(key=lambda r: r["deviceTime"])
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "lifescan-onetouch-ultra2", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
