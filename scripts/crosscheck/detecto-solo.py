"""Independent cross-check of the Detecto solo fixtures.

Written from drivers/devices/detecto-solo/PROTOCOL.md (§2 the print line and its quote bytes,
§4 what a print becomes), not from the driver's code. The device stream is cut at CR; each line
is split at commas; the height's foot and inch marks are matched as raw bytes. The device time
is MM/DD/YY (the default order) and is judged with the common clock rule against the trace time.

Usage: python3 scripts/crosscheck/detecto-solo.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

WEIGHT, HEIGHT, BMI = "29463-7", "8302-2", "39156-5"
FOOT = rb"(?:'|\xe2\x80\x99|\xe2\x80\xb2|\x92)"
INCH = rb"(?:\"|\xe2\x80\x9d|\xe2\x80\xb3|\x94|'')?"
FEET_INCHES = re.compile(rb"^(\d{1,2})\s*" + FOOT + rb"\s*(\d{1,2}(?:\.\d{1,2})?)\s*" + INCH + rb"$")
CM = re.compile(rb"^(\d{2,3}(?:\.\d{1,2})?)\s*cm$", re.I)
WEIGHT_RE = re.compile(rb"^(-?\d{1,4}(?:\.\d{1,3})?)\s*(lb|kg)s?$", re.I)
NUMBER = re.compile(rb"^\d{1,4}(?:\.\d{1,3})?$")


def decimals(text):
    return len(text.split(b".")[1]) if b"." in text else None


def q(code, value, unit, places):
    v = {"kind": "quantity", "value": value, "unit": unit}
    if places is not None:
        v["decimals"] = places
    return {"code": code, "value": v}


def number(x):
    return int(x) if float(x).is_integer() else x


def parse(line):
    fields = [f.strip() for f in line.strip().split(b",")]
    if len(fields) != 5:
        return None
    time, date, bmi, height, weight = fields
    if not re.match(rb"^\d{1,2}:\d{2}$", time) or not re.match(rb"^\d{1,2}/\d{1,2}/\d{2}(\d{2})?$", date):
        return None
    w = WEIGHT_RE.match(weight)
    if not w:
        return None
    obs = []
    value = float(w.group(1))
    unit = "[lb_av]" if w.group(2).lower() == b"lb" else "kg"
    obs.append(q(WEIGHT, number(value), unit, decimals(w.group(1))))
    if height:
        fi, cm = FEET_INCHES.match(height), CM.match(height)
        if fi and float(fi.group(2)) < 12:
            places = decimals(fi.group(2))
            inches = round(int(fi.group(1)) * 12 + float(fi.group(2)), places or 0)
            obs.append(q(HEIGHT, number(inches), "[in_i]", places))
        elif cm:
            obs.append(q(HEIGHT, number(float(cm.group(1))), "cm", decimals(cm.group(1))))
        else:
            return None
    if bmi:
        if not NUMBER.match(bmi):
            return None
        if float(bmi) > 0:
            obs.append(q(BMI, number(float(bmi)), "kg/m2", decimals(bmi)))
    if value <= 0:
        return "zero"
    month, day, year = (int(x) for x in date.split(b"/"))
    year = 2000 + year if year < 100 else year
    hour, minute = (int(x) for x in time.split(b":"))
    device_time = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00"
    return {"deviceTime": device_time, "observations": obs}


def derive(trace):
    start = trace.recorded_s()
    out, buf = [], b""
    for t, direction, data in trace.events:
        if direction != "<":
            continue
        buf += data
        while b"\r" in buf:
            line, _, buf = buf.partition(b"\r")
            r = parse(line)
            if r is None or r == "zero":
                continue
            if start is None:
                when, clock = common.unjudged_clock(r["deviceTime"])
            else:
                skew = start + t - common.local_to_epoch(r["deviceTime"])
                if abs(skew) > common.SKEW_THRESHOLD_S:
                    when, clock = common.iso_offset(start + t), {"source": "device-corrected"}
                else:
                    when, clock = common.iso_offset(common.local_to_epoch(r["deviceTime"])), {"source": "device"}
            out.append({"deviceTime": r["deviceTime"], "effectiveTime": when, "clockSource": clock["source"], "observations": r["observations"]})
    return out


def facts(r):
    def obs(o):
        return {"code": o.get("code"), "value": o.get("value")}
    return {"deviceTime": r.get("deviceTime"), "effectiveTime": r["effectiveTime"], "clockSource": r["clock"]["source"], "observations": [obs(o) for o in r["observations"]]}


def main(fixtures_dir):
    common.main_with_facts(derive, lambda r, _keys: facts(r), fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "detecto-solo", "fixtures"))
