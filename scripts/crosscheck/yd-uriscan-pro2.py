"""Independent cross-check of the URiSCAN PRO II fixtures.

Written from drivers/devices/yd-uriscan-pro2/PROTOCOL.md (§2 framing, §3 report layout and its
strictness, §3.1 date, §3.2 sample ID, §3.3 analyte lines, §4 reading) and the urine codes of
docs/export.md §9, not from the driver's code. The analyzer pushes each report live; the traces
carry a `# recorded:` time, so the device clock is judged against the time the report's last
byte arrived (docs/architecture.md §8 rule 9: more than 5 minutes off → the receipt time, flag
`clock-skew`).

Usage: python3 scripts/crosscheck/yd-uriscan-pro2.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

# analyte code (dots dropped, upper case) → (presence code, concentration code, unit, count unit)
ANALYTES = {
    "GLU": ("25428-4", "5792-7", "mg/dL", None), "BIL": ("5770-3", None, None, None),
    "KET": ("2514-8", "5797-6", "mg/dL", None), "SG": (None, "5811-5", "1", None),
    "BLD": ("5794-3", None, None, "RBC/uL"), "PH": (None, "5803-2", "[pH]", None),
    "PRO": ("20454-5", "5804-0", "mg/dL", None), "URO": (None, "20405-7", "mg/dL", None),
    "NIT": ("5802-4", None, None, None), "LEU": ("5799-2", None, None, "WBC/uL"),
}
GRADES = {"-": "neg", "+-": "trace", "+": "1+", "++": "2+", "+++": "3+", "++++": "4+"}
WORDS = {"neg": "neg", "pos": "pos"}
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
ANALYTE = re.compile(r"^([A-Za-z][A-Za-z.]{0,4})\s+(\S.*)$")
RESULT = re.compile(r"^(\+\+\+\+|\+\+\+|\+\+|\+-|\+|-)?\s*(?:(>=|<=|>|<)?(\d+(?:\.\d+)?)(?:\s*([A-Za-z%][A-Za-z/%.]*))?|([A-Za-z]+))?$")
LABELS = {"date": r"Date\s*:", "id": r"ID_NO\s*:", "ward": r"Ward\s*:", "name": r"NAME\s*:"}


def fold_unit(unit):
    """§3.3: lower-case units are spellings of the catalog's (mg/dl → mg/dL, RBC/ul → RBC/uL)."""
    if unit is None:
        return ""
    if unit.lower() == "mg/dl":
        return "mg/dL"
    return re.sub(r"/ul$", "/uL", unit, flags=re.I)


def pad_result(code, text):
    """One analyte line's result → an observation fact (§3.3 and the urine family's rules)."""
    key = code.replace(".", "").upper()
    text = re.sub(r"\s+", " ", text.strip())
    if key not in ANALYTES:
        return {"code": None, "kind": "unmapped", "label": code, "value": text, "interpretation": None}
    presence, conc, unit, count = ANALYTES[key]
    m = RESULT.match(text)
    grade_sym, comparator, number, printed_unit, word = m.groups()
    grade = None
    if grade_sym is not None:
        grade = "pos" if (grade_sym == "+" and key == "NIT") else GRADES[grade_sym]

    def unmapped_here():
        return {"code": conc or presence, "kind": "unmapped", "label": code, "value": text, "interpretation": None}

    def ordinal(value):
        if presence is None:
            return unmapped_here()
        return {"code": presence, "kind": "ordinal", "value": value, "interpretation": None}

    if word is not None:
        w = WORDS.get(word.lower())
        if w is None:
            return unmapped_here() if conc and not presence else {"code": None, "kind": "unmapped", "label": code, "value": text, "interpretation": None}
        return ordinal(grade if grade is not None else w)
    if number is not None:
        u = fold_unit(printed_unit)
        if conc and (u == unit or (u == "" and unit in ("1", "[pH]"))):
            value = float(number)
            return common.quantity(conc, int(value) if value.is_integer() and "." not in number else value, unit, comparator)
        if count and u == count:
            return ordinal(grade if grade is not None else ("pos" if float(number) > 0 else "neg"))
        if grade is not None and presence:
            return ordinal(grade)
    if grade is not None and number is None and word is None:
        return ordinal(grade)
    return {"code": None, "kind": "unmapped", "label": code, "value": text, "interpretation": None}


def parse_date(value):
    """§3.1, strictly: MMM-DD-YYYY HH:MM:SS with English capitals and a real date; else None."""
    m = re.fullmatch(r"([A-Z]{3})-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)", value)
    if not m or m.group(1) not in MONTHS:
        return None
    try:
        when = dt.datetime(int(m.group(3)), MONTHS.index(m.group(1)) + 1, int(m.group(2)), int(m.group(4)), int(m.group(5)), int(m.group(6)))
    except ValueError:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%S")


def report(body):
    """§3: the text between STX and ETX → (device time or None, sample ID or None, observations), or None."""
    if re.search(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]", body):
        return None
    lines = re.split(r"\r\n|\r|\n", body)
    if lines and lines[-1] == "":
        lines.pop()
    headers, codes, observations = {}, set(), []
    sub_id, after_id = None, False
    for raw in lines:
        line = raw.rstrip()
        was_after_id, after_id = after_id, False
        text = line.strip()
        if not text:
            continue
        label = next((k for k, p in LABELS.items() if re.match(p, text)), None)
        if label:
            if label in headers:
                return None
            headers[label] = re.sub(LABELS[label], "", text, count=1).strip()
            after_id = label == "id"
            continue
        if was_after_id and len(line) <= 6:
            sub_id = text
            continue
        m = ANALYTE.match(text)
        if not m or not RESULT.match(re.sub(r"\s+", " ", m.group(2).strip())):
            return None
        key = m.group(1).replace(".", "").upper()
        if key in codes:
            return None
        codes.add(key)
        observations.append(pad_result(m.group(1), m.group(2)))
    if not observations:
        return None
    device_time = parse_date(headers["date"]) if "date" in headers else None
    number = re.sub(r"[-\s]+$", "", headers.get("id", ""))  # §3.2: the trailing dash is a separator
    sample = f"{number}-{sub_id}" if sub_id and number else (sub_id or number or None)
    return device_time, sample, observations


def live_clock(device_time, received_s):
    if device_time is None:
        return common.iso_offset(int(received_s)), {"source": "workstation"}, []
    skew = received_s - common.local_to_epoch(device_time)
    if abs(skew) > common.SKEW_THRESHOLD_S:
        return common.iso_offset(int(received_s)), {"source": "workstation", "skewSeconds": round(skew)}, ["clock-skew"]
    return common.iso_offset(common.local_to_epoch(device_time)), {"source": "device", "skewSeconds": round(skew)}, []


def derive(trace):
    start = trace.recorded_s()
    readings, frame = [], None
    for time, direction, data in trace.events:
        if direction != "<":
            continue
        for b in data:
            c = chr(b)
            if c == "\x02":
                frame = ""  # a new STX drops a frame cut short (§2)
            elif frame is not None and c == "\x03":
                made = report(frame)
                frame = None
                if made:
                    device_time, sample, observations = made
                    effective, clock, flags = live_clock(device_time, start + time)
                    readings.append({"kind": "patient", "serial": None, "deviceTime": device_time, "effectiveTime": effective,
                                     "clock": clock, "context": {"sampleId": sample} if sample else None,
                                     "observations": observations, "flags": flags})
            elif frame is not None:
                frame += c
    return readings  # a frame still open at the end of the stream was cut short (§2): no reading


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "yd-uriscan-pro2", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
