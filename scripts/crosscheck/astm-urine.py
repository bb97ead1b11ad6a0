"""Independent cross-check of the astm-urine fixtures.

Written from drivers/devices/astm-urine/PROTOCOL.md (§1.3 the E1381 low level: frames, checksum,
frame numbers modulo 8, repeats, ENQ restarts, EOT, the 30 s frame wait; §2 the E1394 records;
§4 the generic test-code map, values, readings and the nothing-half-stored rule), not from the
driver's code or the ASTM family's. Fixtures replay with the driver's default options: the
`generic` preset and no port entries.

Usage: python3 scripts/crosscheck/astm-urine.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

STX, ETX, EOT, ENQ, ETB = 0x02, 0x03, 0x04, 0x05, 0x17
FRAME_WAIT_S = 30

# §4.1, preset `generic`: analyzer code -> the analyte it names.
GENERIC = {"GLU": "glucose", "BIL": "bilirubin", "KET": "ketones", "SG": "sg", "BLD": "blood", "BLO": "blood",
           "PH": "ph", "PRO": "protein", "UBG": "urobilinogen", "URO": "urobilinogen", "NIT": "nitrite", "LEU": "leukocytes"}
# §4.2: analyte -> (presence code, mass code, unit, units kept unmapped under the analyte).
ANALYTES = {
    "glucose": ("25428-4", "5792-7", "mg/dL", {"mmol/L"}), "bilirubin": ("5770-3", None, None, set()),
    "ketones": ("2514-8", "5797-6", "mg/dL", {"mmol/L"}), "sg": (None, "5811-5", "1", set()),
    "blood": ("5794-3", None, None, set()), "ph": (None, "5803-2", "[pH]", set()),
    "protein": ("20454-5", "5804-0", "mg/dL", {"g/L"}), "urobilinogen": (None, "20405-7", "mg/dL", {"E.U./dL", "EU/dL", "umol/L"}),
    "nitrite": ("5802-4", None, None, set()), "leukocytes": ("5799-2", None, None, set()),
}
WORDS = {"negative": "neg", "neg": "neg", "trace": "trace", "small": "small", "moderate": "moderate", "large": "large",
         "positive": "pos", "pos": "pos", "1+": "1+", "2+": "2+", "3+": "3+", "4+": "4+"}
INTERPRETATIONS = {"N", "A", "H", "L", "HH", "LL"}
NUMBER = re.compile(r"^(<=|>=|<|>)?\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))$")


def checksum_ok(frame):
    """§1.3: sum of FN..ETB/ETX mod 256 as two upper-case hex digits, then CR LF."""
    end = len(frame) - 5
    if end < 2 or frame[end] not in (ETX, ETB) or frame[-2:] != b"\r\n":
        return False
    return "%02X" % (sum(frame[1:end + 1]) % 256) == frame[end + 1:end + 3].decode("latin-1").upper()


def tokens(trace):
    """(time, 'ENQ'|'EOT'|frame bytes) from the analyzer's bytes; noise skipped."""
    out, frame, start = [], None, 0.0
    for t, direction, data in trace.events:
        if direction != "<":
            continue
        for b in data:
            if frame is not None:
                frame.append(b)
                if b == STX and len(frame) > 1:  # cut short by a new frame
                    frame = bytearray([STX])
                elif len(frame) >= 7 and frame[-5] in (ETX, ETB) and frame[-1] == 0x0A:
                    out.append((t, bytes(frame)))
                    frame = None
            elif b == STX:
                frame = bytearray([STX])
            elif b == ENQ:
                out.append((t, "ENQ"))
            elif b == EOT:
                out.append((t, "EOT"))
    return out


def fields(record):
    return record.split("|")


def unescape(text):
    return text.replace("&F&", "|").replace("&S&", "^").replace("&R&", "\\").replace("&E&", "&")


def field(record, n):
    f = fields(record)
    return unescape(f[n - 1]) if n - 1 < len(f) else ""


def comp(record, n, c):
    parts = (fields(record)[n - 1] if n - 1 < len(fields(record)) else "").split("\\")[0].split("^")
    return unescape(parts[c - 1]).strip() if c - 1 < len(parts) else ""


def local(ts):
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?", ts.strip())
    if not m:
        return None
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6] or '00'}"


def observation(r):
    code = comp(r, 3, 4) or next((comp(r, 3, c) for c in (1, 2, 3) if comp(r, 3, c)), "")
    value, unit, flag, status = field(r, 4).strip(), field(r, 5).strip(), field(r, 7).strip(), field(r, 9).strip()
    shown = (value + (" " + unit if unit else "")) if value else ("(cannot be done)" if status == "X" else "(no value)")
    label = code or "(no test code)"
    analyte = GENERIC.get(code.upper())
    if analyte is None:
        return {"code": None, "kind": "unmapped", "value": shown, "label": label, "interpretation": None}, flag
    presence, mass, want, foreign = ANALYTES[analyte]
    under = mass or presence
    if not value:
        return {"code": under, "kind": "unmapped", "value": shown, "label": label, "interpretation": None}, flag
    interp = flag if flag in INTERPRETATIONS else None
    m = NUMBER.match(value)
    if m:
        given = unit
        if want == "[pH]" and unit.lower() == "ph":
            given = ""
        elif not unit and want not in (None, "1", "[pH]"):
            given = want  # §4.2: the map's unit when the field is empty
        text = value + (" " + given if given else "")
        if mass and ((given == "" and want in ("1", "[pH]")) or given.lower() == want.lower()):
            number = float(m[2])
            return common.quantity(mass, int(number) if number.is_integer() else number, want, m[1], interp), flag
        if given in foreign:
            return {"code": under, "kind": "unmapped", "value": text, "label": label, "interpretation": None}, flag
        return {"code": None, "kind": "unmapped", "value": text, "label": label, "interpretation": None}, flag
    word = WORDS.get(value.lower())
    if word is None:
        return {"code": None, "kind": "unmapped", "value": value, "label": label, "interpretation": None}, flag
    if presence is None:
        return {"code": under, "kind": "unmapped", "value": value, "label": label, "interpretation": None}, flag
    return {"code": presence, "kind": "ordinal", "value": word, "interpretation": interp}, flag


def readings_of(message, recorded, t):
    """§4.3: one reading per O record with results (results before any O: one anonymous sample)."""
    header = message[0]
    kind = "control" if field(header, 12) == "Q" else "patient"
    serial = comp(header, 5, 3) or None
    samples, patient, current, last = [], ("", ""), None, None
    for r in message[1:]:
        letter = r[:1].upper()
        if letter == "P":
            name = [comp(r, 6, c) for c in (1, 2, 3)]
            patient = (field(r, 3) or field(r, 4) or field(r, 5), ", ".join(p for p in [name[0], " ".join(x for x in name[1:] if x)] if p))
            current = None
        elif letter == "O":
            current = {"patient": patient, "sample": field(r, 3) or field(r, 4), "time": field(r, 8) or field(r, 7), "results": [], "notes": []}
            samples.append(current)
        elif letter in ("R", "C"):
            if current is None:
                current = {"patient": patient, "sample": "", "time": "", "results": [], "notes": []}
                samples.append(current)
            if letter == "R":
                current["results"].append(r)
            else:
                text = " ".join(p.strip() for p in field(r, 4).split("^") if p.strip())
                if text:
                    about = (comp(last, 3, 4) or "") if last and last[:1].upper() == "R" else ""
                    current["notes"].append(f"{about}: {text}" if about else text)
        last = r
    out = []
    for s in samples:
        if not s["results"]:
            continue
        observations, abnormal = [], False
        for r in s["results"]:
            o, flag = observation(r)
            observations.append(o)
            abnormal = abnormal or (flag not in ("", "N"))
        first = s["results"][0]
        device_time = local(field(first, 13)) or local(s["time"]) or local(field(header, 14))
        context = {}
        if s["sample"]:
            context["sampleId"] = s["sample"]
        if field(first, 11).strip():
            context["operatorId"] = field(first, 11).strip()
        if s["patient"][0]:
            context["patientId"] = s["patient"][0]
        if s["patient"][1]:
            context["patientName"] = s["patient"][1]
        if s["notes"]:
            context["notes"] = s["notes"]
        flags = ["abnormal"] if abnormal else []
        received = recorded + t
        skew = received - common.local_to_epoch(device_time)
        if abs(skew) > common.SKEW_THRESHOLD_S:
            effective, clock = common.iso_offset(received), {"source": "workstation", "skewSeconds": round(skew)}
            flags.append("clock-skew")
        else:
            effective, clock = common.iso_offset(common.local_to_epoch(device_time)), {"source": "device", "skewSeconds": round(skew)}
        out.append({"kind": kind, "serial": serial, "deviceTime": device_time, "effectiveTime": effective, "clock": clock,
                    "context": context or None, "observations": observations, "flags": flags})
    return out


def derive(trace):
    recorded = trace.recorded_s()
    readings = []
    expected_fn, last_fn, text, message, last_t = None, None, "", [], None
    for t, tok in tokens(trace):
        if message and last_t is not None and t - last_t > FRAME_WAIT_S:
            message, text = [], ""  # §1.3: the frame wait ran out; discarded
        last_t = t
        if tok == "ENQ":
            expected_fn, last_fn, text, message = 1, None, "", []  # §1.3: a (new) transfer
            continue
        if tok == "EOT":
            expected_fn, last_fn, text, message = None, None, "", []  # §4.4: ended before L
            continue
        if not checksum_ok(tok):
            continue  # NAKed: the analyzer sends it again
        fn = tok[1] - 0x30
        if last_fn is not None and fn == last_fn:
            continue  # a repeat after a lost ACK
        if expected_fn is not None and fn != expected_fn:
            continue
        last_fn, expected_fn = fn, (fn + 1) % 8
        end = len(tok) - 5
        body = tok[2:end].decode("latin-1")
        text += body
        if tok[end] != ETX and not body.endswith("\r"):
            continue
        for record in [r for r in text.split("\r") if r]:
            if record[:1] == "H":
                message = [record]
            elif message:
                message.append(record)
                if record[:1] == "L":
                    if field(record, 3) not in ("T", "E"):
                        readings += readings_of(message, recorded, t)
                    message = []
        text = ""
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "astm-urine", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
