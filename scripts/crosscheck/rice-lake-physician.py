"""Independent cross-check of the Rice Lake physician scale fixtures.

Written from drivers/devices/rice-lake-physician/PROTOCOL.md (§2 the print line, §3 the BMI-mode
block, §4 what becomes a reading), not from the driver's code. The device stream is cut into
lines at CR or LF. A print line is a reading at once; a BMI block (weight line, then height and
BMI lines) is one reading when its BMI line or the next weight/print line arrives; a refused
line drops a pending block. Net weights carry the `net-weight` flag.

Usage: python3 scripts/crosscheck/rice-lake-physician.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

WEIGHT, HEIGHT, BMI = "29463-7", "8302-2", "39156-5"
NUM = rb"(-?\d{1,5}(?:\.\d{1,3})?)"
PRINT = re.compile(rb"^\s*" + NUM + rb"\s+(lb|kg)\s+(gross|net)\s*$", re.I)
WLINE = re.compile(rb"^\s*(gross|net)\s+weight\s+" + NUM + rb"\s*(lb|kg)\s*$", re.I)
HFT = re.compile(rb"^\s*patient\s+height\s+(\d{1,2})-(\d{1,2}(?:\.\d{1,2})?)\s*ft\s*$", re.I)
HCM = re.compile(rb"^\s*patient\s+height\s+(\d{2,3}(?:\.\d{1,2})?)\s*cm\s*$", re.I)
BLINE = re.compile(rb"^\s*patient\s+bmi\s+(\d{1,3}(?:\.\d{1,2})?)\s*$", re.I)


def decimals(text):
    return len(text.split(b".")[1]) if b"." in text else None


def number(x):
    return int(x) if float(x).is_integer() else x


def q(code, value, unit, places):
    v = {"kind": "quantity", "value": number(value), "unit": unit}
    if places is not None:
        v["decimals"] = places
    return {"code": code, "value": v}


def derive(trace):
    start = trace.recorded_s()
    out, buf = [], b""
    block = None

    def emit(w, at):
        if float(w["weight"]) <= 0:
            return
        unit = "[lb_av]" if w["unit"].lower() == b"lb" else "kg"
        obs = [q(WEIGHT, float(w["weight"]), unit, decimals(w["weight"]))]
        h = w.get("height")
        if h and h[0] == "ft":
            places = decimals(h[2])
            obs.append(q(HEIGHT, round(int(h[1]) * 12 + float(h[2]), places or 0), "[in_i]", places))
        elif h:
            obs.append(q(HEIGHT, float(h[1]), "cm", decimals(h[1])))
        if w.get("bmi") and float(w["bmi"]) > 0:
            obs.append(q(BMI, float(w["bmi"]), "kg/m2", decimals(w["bmi"])))
        out.append({"effectiveTime": common.iso_offset(start + at), "clockSource": "workstation", "flags": ["net-weight"] if w["net"] else [], "observations": obs})

    for t, direction, data in trace.events:
        if direction != "<":
            continue
        buf += data
        while True:
            m = re.search(rb"[\r\n]", buf)
            if not m:
                break
            line, buf = buf[: m.start()], buf[m.end():]
            if not line.strip(b" "):
                continue
            p, w, hf, hc, b = PRINT.match(line), WLINE.match(line), HFT.match(line), HCM.match(line), BLINE.match(line)
            if hf and float(hf.group(2)) >= 12:
                hf = None  # 12 inches or more: a refused line
            if p or w:
                if block:
                    emit(block, t)
                block = None
                if p:
                    emit({"weight": p.group(1), "unit": p.group(2), "net": p.group(3).lower() == b"net"}, t)
                else:
                    block = {"weight": w.group(2), "unit": w.group(3), "net": w.group(1).lower() == b"net"}
            elif hf and block:
                block["height"] = ("ft", hf.group(1), hf.group(2))
            elif hc and block:
                block["height"] = ("cm", hc.group(1))
            elif b and block:
                block["bmi"] = b.group(1)
                emit(block, t)
                block = None
            elif hf or hc or b:
                continue  # a height or BMI line without a weight line: dropped
            else:
                block = None  # a refused line drops a pending block
    if block:
        raise ValueError("trace ends inside a BMI block: its time would depend on the replay's idle grace")
    return out


def facts(r, _keys):
    def obs(o):
        return {"code": o.get("code"), "value": o.get("value")}
    return {"effectiveTime": r["effectiveTime"], "clockSource": r["clock"]["source"], "flags": r["flags"], "observations": [obs(o) for o in r["observations"]]}


def main(fixtures_dir):
    common.main_with_facts(derive, facts, fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "rice-lake-physician", "fixtures"))
