"""Independent cross-check of the Masimo Rad-8 / Radical-7 fixtures.

Written from drivers/devices/masimo-rad8/PROTOCOL.md (§3 line and value rules, §4 ALARM bits,
§5 EXC bits, §6 valid samples, observations, identity) and the stability rule as
docs/adding-a-driver.md §2 states it, not from the driver's code. Stability as read here: a
reading when the run of valid samples that are all within ±1 % SpO2 and ±3 /min pulse of the
newest spans ≥ 10 s of monitor time; then none until an invalid sample re-arms it.

Usage: python3 scripts/crosscheck/masimo-rad8.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SPO2, PULSE = "59408-5", "8867-4"
PREFIX = re.compile(r"^(\d\d)/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d)((?: +[A-Z0-9]+=\S+)*) *$")
STATUS = {"SN", "ALARM", "EXC", "EXC1", "SPO2", "BPM"}
ALARMS = {0x1: "alarm:spo2-high", 0x2: "alarm:spo2-low", 0x4: "alarm:pulse-high", 0x8: "alarm:pulse-low",
          0x10: "alarm:active", 0x20: "alarm:silenced", 0x40: "low-battery", 0x100: "alarm:spco-high",
          0x200: "alarm:spco-low", 0x400: "alarm:spmet-high", 0x800: "alarm:spmet-low",
          0x1000: "alarm:desat-index", 0x2000: "alarm:pi-delta"}
SET, LOW_CONFIDENCE = 0x800, {0x200000: "exception:spco-low-confidence", 0x400000: "exception:spmet-low-confidence"}


def present(value):
    """§3: absent when the second character is a dash."""
    return not (len(value) > 1 and value[1] == "-")


def sample(line):
    """A decoded sample dict, or None for garbage / a line that is not a sample."""
    m = PREFIX.match(line)
    if not m:
        return None
    mo, d, y, h, mi, s = (int(g) for g in m.groups()[:6])
    try:
        when = dt.datetime(2000 + y, mo, d, h, mi, s)
    except ValueError:
        return None
    tokens = [t.split("=", 1) for t in m.group(7).split()]
    keys = dict(tokens)
    if len(keys) != len(tokens) or not {"SPO2", "BPM", "EXC"} <= keys.keys():
        return None
    spo2, bpm = keys["SPO2"].rstrip("%"), keys["BPM"]
    exc, alarm = int(keys["EXC"], 16), int(keys.get("ALARM", "0"), 16)
    exc1 = int(keys.get("EXC1", "0"), 16)
    bad_exc = exc & ~(SET | sum(LOW_CONFIDENCE))
    valid = present(spo2) and present(bpm) and bad_exc == 0 and exc1 == 0
    flags = [f for bit, f in ALARMS.items() if alarm & bit] + [f for bit, f in LOW_CONFIDENCE.items() if exc & bit]
    extra = [{"code": None, "kind": "unmapped", "label": k, "value": v, "interpretation": None}
             for k, v in tokens if k not in STATUS and present(v)]
    return {"when": when, "valid": valid, "spo2": float(spo2) if valid else None, "bpm": float(bpm) if valid else None,
            "sn": keys.get("SN"), "flags": flags, "extra": extra, "alarm": alarm}


def derive(trace):
    stream = b"".join(data for _, direction, data in trace.events if direction == "<")
    lines = [raw.decode("latin-1") for raw in re.split(rb"\r\n|\r|\n", stream)]
    if not stream.endswith((b"\r", b"\n")):
        lines = lines[:-1]  # the stream ended inside a line
    serial, window, armed, readings = None, [], True, []
    for line in lines:
        s = sample(line)
        if s is None:
            continue
        if serial is None and s["sn"] and re.fullmatch(r"\d{10}", s["sn"]):
            serial = s["sn"]
        if not s["valid"]:
            window, armed = [], True
            continue
        window.append(s)
        # the run of samples within tolerance of the newest, newest last
        run = []
        for old in reversed(window):
            if abs(old["spo2"] - s["spo2"]) > 1 or abs(old["bpm"] - s["bpm"]) > 3:
                break
            run.append(old)
        window = list(reversed(run))
        if armed and (s["when"] - window[0]["when"]).total_seconds() >= 10:
            armed = False
            spo2_interp = "H" if s["alarm"] & 0x1 else "L" if s["alarm"] & 0x2 else None
            bpm_interp = "H" if s["alarm"] & 0x4 else "L" if s["alarm"] & 0x8 else None
            device_time = s["when"].strftime("%Y-%m-%dT%H:%M:%S")
            effective, clock = common.unjudged_clock(device_time)
            readings.append({
                "kind": "patient", "serial": serial, "deviceTime": device_time, "effectiveTime": effective,
                "clock": clock, "sequence": None,
                "observations": [common.quantity(SPO2, int(s["spo2"]), "%", None, spo2_interp),
                                 common.quantity(PULSE, int(s["bpm"]), "/min", None, bpm_interp)] + s["extra"],
                "flags": s["flags"] + ["auto-capture"]})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "masimo-rad8", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
