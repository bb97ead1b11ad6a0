"""Independent cross-check of the Mission U120 / Consult 120 fixtures.

Written from drivers/devices/acon-mission-u120/PROTOCOL.md (§2 framing, §3 header lines, §4
analyte lines, §5 what rejects a report, §7 what a report becomes), not from the driver's code nor
the urine family's. The traces carry no `# recorded:` time, so the device time is taken as is.

Usage: python3 scripts/crosscheck/acon-mission-u120.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

STX, ETX = 0x02, 0x03

# §7: label -> (presence code, concentration code, concentration unit, count units)
ANALYTES = {
    "LEU": ("5799-2", None, None, ("Leu/uL",)),
    "NIT": ("5802-4", None, None, ()),
    "URO": (None, "20405-7", "mg/dL", ()),
    "PRO": ("20454-5", "5804-0", "mg/dL", ()),
    "PH": (None, "5803-2", "[pH]", ()),
    "BLO": ("5794-3", None, None, ("Ery/uL",)),
    "SG": (None, "5811-5", "1", ()),
    "KET": ("2514-8", "5797-6", "mg/dL", ()),
    "BIL": ("5770-3", None, None, ()),
    "GLU": ("25428-4", "5792-7", "mg/dL", ()),
}
GRADES = {"-": "neg", "+-": "trace", "+/-": "trace", "1+": "1+", "2+": "2+", "3+": "3+", "4+": "4+"}
WORDS = {"neg": "neg", "pos": "pos"}
HEADERS = (("sampleId", "ID:"), ("date", "Date:"), ("operatorId", "Operator:"), ("sequence", "No."))


def frames(stream):
    """§2: STX ... ETX frames; a new STX restarts, bytes outside are noise; an open frame at the end is lost."""
    out, cur = [], None
    for b in stream:
        if b == STX:
            cur = bytearray()
        elif cur is not None and b == ETX:
            out.append(bytes(cur))
            cur = None
        elif cur is not None:
            cur.append(b)
    return out


def when(text):
    """§3: dd-mm-yyyy HH:MM, or hh:MM am/pm."""
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})\s+(\d{1,2}):(\d{2})(?:\s*([ap])m)?", text, re.I)
    if not m:
        return None
    d, mo, y, h, mi = (int(m.group(i)) for i in range(1, 6))
    if m.group(6):
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if m.group(6).lower() == "p" else 0)
    try:
        return dt.datetime(y, mo, d, h, mi).strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None


def observation(label, grade, value, unit, abnormal):
    printed = " ".join(x for x in (grade, value, unit) if x)
    row = ANALYTES.get(label.upper())
    interp = "A" if abnormal else None
    if row is None:
        return {"code": None, "kind": "unmapped", "value": printed, "label": label, "interpretation": interp}
    presence, conc, conc_unit, counts = row
    g = None
    if grade == "+":
        g = "pos" if label.upper() == "NIT" else "1+"
    elif grade:
        g = GRADES[grade]
    if unit is None and value in WORDS:
        return {"code": presence, "kind": "ordinal", "value": g or WORDS[value], "interpretation": interp}
    number = float(value)
    if (unit or "") == ("" if conc_unit in ("1", "[pH]") else conc_unit) and conc:
        return {"code": conc, "kind": "quantity", "value": int(number) if number.is_integer() else number, "unit": conc_unit, "comparator": None, "interpretation": interp}
    if unit in counts:
        return {"code": presence, "kind": "ordinal", "value": g or ("pos" if number > 0 else "neg"), "interpretation": interp}
    if g and presence:
        return {"code": presence, "kind": "ordinal", "value": g, "interpretation": interp}
    return {"code": None, "kind": "unmapped", "value": printed, "label": label, "interpretation": interp}


def report(body):
    """§3-§5: a report's facts, or None when it is rejected."""
    if any((b < 0x20 or b > 0x7E) and b not in (0x09, 0x0A, 0x0D) for b in body):
        return None
    head, seen, observations, abnormal = {}, set(), [], False
    for raw in re.split(r"\r\n|\r|\n", body.decode("ascii")):
        line = raw.strip()
        if not line:
            continue
        tag = next(((k, line[len(p):].strip()) for k, p in HEADERS if line.startswith(p)), None)
        if tag:
            if tag[0] in seen:
                return None
            seen.add(tag[0])
            if tag[1]:
                head[tag[0]] = tag[1]
            continue
        star = line.startswith("*")
        tokens = (line[1:] if star else line).split()
        label = tokens.pop(0)
        if not re.fullmatch(r"[A-Za-z][A-Za-z.]{0,5}", label) or label.upper() in seen:
            return None
        seen.add(label.upper())
        grade = tokens.pop(0) if tokens and re.fullmatch(r"-|\+-|\+/-|[1-4]\+|\+", tokens[0]) else None
        if len(tokens) == 2 and re.fullmatch(r"\d+(\.\d+)?", tokens[0]) and re.fullmatch(r"[A-Za-z.]+/[A-Za-z]+", tokens[1]):
            value, unit = tokens
        elif len(tokens) == 1 and re.fullmatch(r"\d+(\.\d+)?|[A-Za-z]+", tokens[0]):
            value, unit = tokens[0], None
        else:
            return None
        observations.append(observation(label, grade, value, unit, star))
        abnormal = abnormal or star
    if not observations or ("sequence" in head and not head["sequence"].isdigit()):
        return None
    device_time = None
    if "date" in head:
        device_time = when(head["date"])
        if device_time is None:
            return None
    effective, clock = common.unjudged_clock(device_time)
    context = {k: head[k] for k in ("sequence", "sampleId", "operatorId") if k in head}
    return {"kind": "patient", "serial": None, "deviceTime": device_time, "effectiveTime": effective, "clock": clock,
            "context": context or None, "observations": observations, "flags": ["abnormal"] if abnormal else []}


def derive(trace):
    stream = b"".join(data for _, direction, data in trace.events if direction == "<")
    return [r for r in (report(f) for f in frames(stream)) if r]


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "acon-mission-u120", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
