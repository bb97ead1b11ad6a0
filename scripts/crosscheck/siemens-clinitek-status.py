"""Independent cross-check of the Clinitek Status fixtures.

Written from drivers/devices/siemens-clinitek-status/PROTOCOL.md (§2 framing and noise, §3 record
layout and its strict grammar, §4 analyte codes, §5 results, §6 error records, §7 reading), not
from the driver's code. The analyzer pushes each record live; the traces carry no `# recorded:`
time, so the device time is taken as is.

Usage: python3 scripts/crosscheck/siemens-clinitek-status.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

# §4: analyte → (presence code, concentration code, concentration unit), English and Spanish codes.
ANALYTES = {
    "GLU": ("25428-4", "5792-7", "mg/dL"), "BIL": ("5770-3", None, None), "KET": ("2514-8", "5797-6", "mg/dL"),
    "CET": ("2514-8", "5797-6", "mg/dL"), "SG": (None, "5811-5", "1"), "DEN": (None, "5811-5", "1"),
    "BLD": ("5794-3", None, None), "BLO": ("5794-3", None, None), "SAN": ("5794-3", None, None),
    "PH": (None, "5803-2", "[pH]"), "PRO": ("20454-5", "5804-0", "mg/dL"), "UBG": (None, "20405-7", "mg/dL"),
    "URO": (None, "20405-7", "mg/dL"), "NIT": ("5802-4", None, None), "LEU": ("5799-2", None, None),
}
WORDS = {"negative": "neg", "negativo": "neg", "trace": "trace", "trace-intact": "trace", "trace-lysed": "trace",
         "small": "small", "moderate": "moderate", "large": "large", "positive": "pos", "positivo": "pos",
         "normal": "normal"}
COLOUR, CLARITY = "5778-6", "32167-9"
NOT_ENTERED = {"Not Entered", "No introducido"}
NUMBER = re.compile(r"^(>=|<=|>|<)?(\d+(?:\.\d+)?)$")


def unmapped(code, label, text):
    return {"code": code, "kind": "unmapped", "label": label, "value": text, "interpretation": None}


def observation(label, text):
    """§5: one triplet's result → an observation fact (interpretation set by the caller)."""
    presence, conc, unit = ANALYTES.get(label.upper(), (None, None, None))
    if label.upper() not in ANALYTES:
        return unmapped(None, label, text)
    word = text.lower()
    if label.upper() == "BIL" and word in ("bajo", "alto"):
        word = "small" if word == "bajo" else "large"
        return {"code": presence, "kind": "ordinal", "value": word, "interpretation": None}
    if word in WORDS:
        if presence:
            return {"code": presence, "kind": "ordinal", "value": WORDS[word], "interpretation": None}
        return unmapped(conc if word == "normal" else None, label, text)
    if re.fullmatch(r"(Apr|Ca) \d+ \w+/uL", text) and presence:
        return {"code": presence, "kind": "ordinal", "value": "pos", "interpretation": None}
    m = re.fullmatch(r"(>=|<=|>|<)?(\d+(?:\.\d+)?) ?(.*)", text)
    if m and conc:
        printed_unit = m.group(3)
        wanted = "" if unit in ("1", "[pH]") else unit
        if printed_unit == wanted:
            value = float(m.group(2))
            return common.quantity(conc, int(value) if value.is_integer() else value, unit, m.group(1))
        return unmapped(conc, label, text)
    return unmapped(None, label, text)


def record(line):
    """A reading fact for a record line, or None (error record or garbage, §3 strictness, §6)."""
    f = line.split(",")
    if len(f) < 13 or not f[0].isdigit():
        return None
    try:
        d, mo, y = (int(x) for x in re.split(r"[-/.]", f[1]))
        t = f[2].strip()
        m = re.fullmatch(r"(\d{1,2}):(\d\d)(AM|PM)?", t)
        h, mi = int(m.group(1)), int(m.group(2))
        if m.group(3):
            if not 1 <= h <= 12:
                return None
            h = h % 12 + (12 if m.group(3) == "PM" else 0)
        when = dt.datetime(y, mo, d, h, mi)
    except (ValueError, AttributeError):
        return None
    rest = f[12:]
    if re.fullmatch(r"E\d+", rest[0]) and (len(rest) == 1 or rest[1:] == [""]):
        return None  # an error record: a problem, no reading
    if len(rest) % 3:
        return None
    observations, abnormal = [], False
    for colour_code, text in ((COLOUR, f[10]), (CLARITY, f[11])):
        if text and text not in NOT_ENTERED:
            observations.append({"code": colour_code, "kind": "text", "value": text, "interpretation": None})
    for i in range(0, len(rest), 3):
        label, text, flag = rest[i].strip(), rest[i + 1], rest[i + 2]
        if not re.fullmatch(r"[A-Za-z:]{1,6}", label) or not text or flag not in ("", "*"):
            return None
        obs = observation(label, text)
        if flag == "*":
            obs["interpretation"], abnormal = "A", True
        observations.append(obs)
    device_time = when.strftime("%Y-%m-%dT%H:%M:%S")
    effective, clock = common.unjudged_clock(device_time)
    context = {"sequence": f[0]}
    if f[4]:
        context["sampleId"] = f[4]
    if f[3]:
        context["operatorId"] = f[3]
    context["method"] = f[9]
    return {"kind": "patient", "serial": None, "deviceTime": device_time, "effectiveTime": effective, "clock": clock,
            "context": context, "observations": observations, "flags": ["abnormal"] if abnormal else []}


def derive(trace):
    stream = b"".join(data for _, direction, data in trace.events if direction == "<")
    stream = stream.replace(b"\x11", b"").replace(b"\x13", b"")  # XON / XOFF are never data (§2)
    lines = re.split(rb"\r\n|\r|\n", stream)
    lines = lines[:-1]  # the part after the last line end is cut short (or empty)
    readings = []
    for raw in lines:
        raw = raw.lstrip(bytes(range(0x20)) + bytes(range(0x7F, 0x100)))  # leading line noise (§2)
        if not raw or any(b < 0x20 or b > 0x7E for b in raw):
            continue
        made = record(raw.decode("ascii"))
        if made:
            readings.append(made)
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "siemens-clinitek-status", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
