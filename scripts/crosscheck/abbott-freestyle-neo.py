"""Independent cross-check of the FreeStyle Precision Neo / Optium Neo and Libre reader fixtures.

Written from drivers/devices/abbott-freestyle-neo/PROTOCOL.md (§2 reports, §3 text replies and
their two checksums, §4 session and clock, §5 Neo records, §6 Libre records) and the Libre index
table it cites, not from the driver's code. A reply is the `60` payloads after a command up to
`CMD OK\r\n` / `CMD Fail!\r\n` (keep-alives `22`, `30` and other report types left out); records
come only from the last records reply whose `CKSM`, inner sum and count all hold.

Usage: python3 scripts/crosscheck/abbott-freestyle-neo.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from freestyle_family import GLUCOSE, glucose, hid_replies, hid_skew, message, records  # noqa: E402

KETONE = "66441-7"
TRENDS = {1: "down-fast", 2: "down", 3: "steady", 4: "up", 5: "up-fast"}
# §6 / Libre idx 15-18 and 25: which note flag each index sets.
LIBRE_NOTES = [(15, "comment:exercise"), (16, "comment:medication"), (17, "comment:rapid-acting-insulin"),
               (18, "comment:long-acting-insulin"), (25, "comment:food")]


def fields(line):
    """Comma-separated fields; quoted custom comments may hold commas (§6)."""
    return [f[1:-1] if f.startswith('"') else f for f in re.findall(r'"[^"]*"|[^,]*', line)[::2]]


def neo(f, display):
    """§5: one Neo record → (kind, observation, flags, sequence) or None when not a measurement."""
    typ, value = f[0], f[8]
    if typ == "7":
        kind = "control" if f[10] == "0" else "patient"
        obs, flags = glucose(value)
        flags += display
    elif typ == "9":
        kind = "control" if f[9] == "0" else "patient"
        if value == "HI":
            obs, flags = common.quantity(KETONE, 8, "mmol/L", ">", "HH"), ["out-of-range:high"]
        else:
            obs, flags = common.quantity(KETONE, round(int(value) / 18, 1), "mmol/L"), []
    else:
        return None  # 6 time change, 10 insulin, 11 basal titration: not measurements
    if kind == "control":
        flags.insert(0, "control-solution")
    return kind, obs, flags, f[1]


def libre(f, display):
    """§6: one Libre `$arresult?` record → (kind, observation, flags, None) or None."""
    if f[1] != "2" or int(f[28]) != 0:
        return None  # clock change, or an error record (a DEVICE_ERROR problem, no reading)
    reading_type, value = f[9], int(f[12])
    if reading_type == "0":
        obs, flags = common.quantity(GLUCOSE, value, "mg/dL"), list(display)
    elif reading_type == "1":
        obs, flags = common.quantity(KETONE, round(value / 18, 1), "mmol/L"), []
    else:
        obs = {"code": None, "kind": "unmapped", "label": "sensor glucose", "value": f"{value} mg/dL", "interpretation": None}
        flags = ["sensor-scan"] + ([f"trend:{TRENDS[int(f[14])]}"] if int(f[14]) in TRENDS else [])
    flags += [flag for idx, flag in LIBRE_NOTES if f[idx] not in ("", "0")]
    bits = int(f[19])
    for i in range(6):
        if bits & (1 << i):
            flags.append("comment:" + re.sub(r"\s+", "-", f[29 + i].strip().lower()))
    return "patient", obs, flags, None


def derive(trace):
    recorded = trace.recorded_s()
    serial, date, clock_time, clock_at, display, dump, is_libre = None, None, None, None, [], None, False
    for command, time, text in hid_replies(trace):
        msg = message(text)
        if msg is None:
            continue
        body = msg.strip()
        if command in ("$serlnum?", "$sn?"):
            serial, is_libre = body, command == "$sn?"
        elif command == "$date?":
            date = [int(x) for x in body.split(",")]
        elif command == "$time?":
            clock_time, clock_at = [int(x) for x in body.split(",")], time
        elif command in ("$gunits?", "$uom?"):
            display = ["meter-display:mmol/L"] if body == "0" else []
        elif command in ("$result?", "$arresult?") and records(msg) is not None:
            dump = records(msg)
    if dump is None:
        raise ValueError("no records reply passed its checksums")
    skew = hid_skew(recorded, date, clock_time, clock_at)
    readings = []
    for line in dump:
        f = fields(line)
        made = (libre if is_libre else neo)(f, display)
        if made is None:
            continue
        kind, obs, flags, sequence = made
        mo, d, y, h, mi = (int(x) for x in f[2:7])
        s = int(f[7]) if is_libre else 0  # Neo field 8 is not a second (§5: minute resolution)
        device_time = f"20{y:02d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"
        effective, clock, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": kind, "serial": serial, "deviceTime": device_time, "effectiveTime": effective,
                         "clock": clock, "sequence": sequence, "observations": [obs], "flags": flags + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "abbott-freestyle-neo", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
