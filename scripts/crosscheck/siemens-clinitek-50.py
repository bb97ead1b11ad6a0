"""Independent cross-check of the Clinitek 50 fixtures.

Written from drivers/devices/siemens-clinitek-50/PROTOCOL.md (§2 packets and checksum, §3 the
conversation, §4 layouts, §5 what a reading holds), not from the driver's code. It reads the
analyzer's side of each trace, splits it into packets and NAKs, keeps the packets whose checksum
holds, takes the first as the ID packet (clock, profile, strip) and every later one that reads as
a data packet as one stored result. The pad words and units are mapped with the small table
below (docs/export.md §9 codes), enough for the words the fixtures use.

Usage: python3 scripts/crosscheck/siemens-clinitek-50.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

STX, ETX, NAK = 0x02, 0x03, 0x15
# code → (presence code, concentration code, concentration unit, count unit)
PADS = {
    "GLU": ("25428-4", "5792-7", "mg/dL", None), "BIL": ("5770-3", None, None, None),
    "KET": ("2514-8", "5797-6", "mg/dL", None), "SG": (None, "5811-5", "1", None),
    "PH": (None, "5803-2", "[pH]", None), "PRO": ("20454-5", "5804-0", "mg/dL", None),
    "UBG": (None, "20405-7", "mg/dL", None), "NIT": ("5802-4", None, None, None),
    "OBL": ("5794-3", None, None, "Ery/uL"), "BLD": ("5794-3", None, None, "Ery/uL"),
    "LEU": ("5799-2", None, None, "Leu/uL"),
}
WORDS = {"negativ": "neg", "negative": "neg", "positiv": "pos", "positive": "pos", "spur": "trace",
         "trace": "trace", "small": "small", "moderate": "moderate", "large": "large"}
COLOUR = "5778-6"


def packets(stream):
    """§2: the analyzer's bytes → (kind, body) with kind 'packet' or 'nak'; noise skipped."""
    out, i = [], 0
    while i < len(stream):
        b = stream[i]
        if b == NAK:
            out.append(("nak", b""))
        elif b == STX:
            end = stream.find(bytes([ETX]), i + 1)
            nxt = stream.find(bytes([STX]), i + 1)
            if end < 0 or (0 <= nxt < end):
                i = nxt if nxt >= 0 else len(stream)
                continue
            out.append(("packet", stream[i:end + 1]))
            i = end
        i += 1
    return out


def lines_of(packet):
    """§2: the lines of a packet whose checksum holds, else None."""
    body, given = packet[1:-3], packet[-3:-1].decode("latin-1")
    if not packet.startswith(b"\x02\r\n") or not body.endswith(b"\r\n"):
        return None
    if "%02X" % (sum(body) % 256) != given.upper():
        return None
    return body[2:-2].decode("latin-1").split("\r\n")


def header_time(line):
    """§4 line 1: `6510  01.02 yyMMddHHmm` → local date-time, or None."""
    m = re.fullmatch(r"6510.{2}\d\d\.\d\d (\d{2})(\d{2})(\d{2})(\d{2})(\d{2}) *", line)
    if not m:
        return None
    yy, mo, d, h, mi = (int(x) for x in m.groups())
    return dt.datetime(yy + (1900 if yy >= 90 else 2000), mo, d, h, mi).strftime("%Y-%m-%dT%H:%M:%S")


def pad(code, value, abnormal):
    """§5: one analyte line → an observation fact."""
    presence, conc, unit, count = PADS[code.upper()]
    fact = None
    word = WORDS.get(value.lower())
    about = re.fullmatch(r"Ca (\d+) (\S+)", value)
    number = re.fullmatch(r"(>=|<=)?(\d+(?:\.\d+)?) ?(\S*)", value)
    if word and presence:
        fact = {"code": presence, "kind": "ordinal", "value": word}
    elif about and about.group(2) == count:
        fact = {"code": presence, "kind": "ordinal", "value": "pos" if float(about.group(1)) > 0 else None}
    elif number and count and number.group(3) == count:
        fact = {"code": presence, "kind": "ordinal", "value": "pos" if float(number.group(2)) > 0 else "neg"}
    elif number and conc and number.group(3) == ("" if unit in ("1", "[pH]") else unit):
        return common.quantity(conc, float(number.group(2)), unit, number.group(1), "A" if abnormal else None)
    if fact is None:
        raise ValueError(f"the checker has no mapping for {code} {value!r}")
    fact["interpretation"] = "A" if abnormal else None
    return fact


def derive(trace):
    recorded = trace.recorded_s()
    stream, at = b"", []
    for time, direction, data in trace.events:
        if direction == "<":
            at.append((len(stream), time))
            stream += data
    replies = [(kind, body) for kind, body in packets(stream)]
    good = [lines_of(body) for kind, body in replies if kind == "packet"]
    good = [g for g in good if g is not None]
    if not good:
        return []
    id_lines = good[0]
    id_time = header_time(id_lines[0])
    id_offset = stream.find(b"\x02\r\n" + id_lines[0].encode("latin-1"))
    id_event_s = max(t for offset, t in at if offset <= id_offset)
    skew = None if recorded is None else recorded + id_event_s - common.local_to_epoch(id_time)
    method = f"{id_lines[2].strip()} ({id_lines[1].strip()})"
    readings = []
    for lines in good[1:]:
        when = header_time(lines[0])
        seq = re.fullmatch(r"(\d{1,4})(?: +(\S.*?))? *", lines[1]) if len(lines) > 2 else None
        if when is None or seq is None:
            continue
        observations = [{"code": COLOUR, "kind": "text", "value": seq.group(2), "interpretation": None}] if seq.group(2) else []
        abnormal = False
        for line in lines[2:]:
            m = re.fullmatch(r"([A-Za-z]{2,4})(\*?) +(\S.*?) *", line)
            observations.append(pad(m.group(1), m.group(3), m.group(2) == "*"))
            abnormal = abnormal or m.group(2) == "*"
        effective, clock, flags = common.stored_clock(when, skew)
        readings.append({"kind": "patient", "serial": None, "deviceTime": when, "effectiveTime": effective, "clock": clock,
                         "context": {"sequence": seq.group(1), "method": method}, "observations": observations,
                         "flags": flags + (["abnormal"] if abnormal else [])})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "siemens-clinitek-50", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
