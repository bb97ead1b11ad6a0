"""Independent cross-check of the Health o meter Professional fixtures.

Written from drivers/devices/healthometer-professional/PROTOCOL.md (§2 the ESC packet, §3 units
and number formats, §4 when a stream is a reading), not from the driver's code. The device
stream is cut at ESC E and anchored on the last ESC R; fields are split at ESC. A run of
byte-identical packets with no pause over 2.5 s is one reading, made at the time of the event
that ends the run (another packet, a zero weight, a pause). The traces end with a zero-weight
packet, so no reading depends on the end of the replay.

Usage: python3 scripts/crosscheck/healthometer-professional.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

WEIGHT, HEIGHT, BMI = "29463-7", "8302-2", "39156-5"
ESC = b"\x1b"
NUMBER = re.compile(rb"^-?\d{1,4}(?:\.\d{1,3})?$")
QUIET_S = 2.5


def decimals(text):
    return len(text.split(b".")[1]) if b"." in text else None


def number(x):
    return int(x) if float(x).is_integer() else x


def q(code, text, unit):
    v = {"kind": "quantity", "value": number(float(text)), "unit": unit}
    if decimals(text) is not None:
        v["decimals"] = decimals(text)
    return {"code": code, "value": v}


def parse(packet):
    """Observations of one packet, "zero" for an empty platform, None when refused."""
    parts = packet.split(ESC)
    if parts[0] != b"" or parts[1] != b"R" or parts[-1] != b"E":
        return None
    fields = {}
    for part in parts[2:-1]:
        letter = part[:1]
        if letter not in (b"I", b"W", b"H", b"B", b"T", b"N"):
            continue
        if letter in fields:
            return None
        fields[letter] = part[1:].strip()
    units = fields.get(b"N", b"").lower()
    if units not in (b"c", b"m"):
        return None
    for letter in (b"W", b"H", b"B", b"T"):
        if fields.get(letter) and not NUMBER.match(fields[letter]):
            return None
    if not fields.get(b"W"):
        return None
    if float(fields[b"W"]) <= 0:
        return "zero"
    imperial = units == b"c"
    obs = [q(WEIGHT, fields[b"W"], "[lb_av]" if imperial else "kg")]
    if fields.get(b"H") and float(fields[b"H"]) > 0:
        obs.append(q(HEIGHT, fields[b"H"], "[in_i]" if imperial else "cm"))
    if fields.get(b"B") and float(fields[b"B"]) > 0:
        obs.append(q(BMI, fields[b"B"], "kg/m2"))
    return obs


def derive(trace):
    start = trace.recorded_s()
    out, buf = [], b""
    run = None  # (packet bytes, observations, time of its last packet)

    def close(at):
        nonlocal run
        if run is not None:
            out.append({"effectiveTime": common.iso_offset(start + at), "clockSource": "workstation", "observations": run[1]})
        run = None

    for t, direction, data in trace.events:
        if direction != "<":
            continue
        buf += data
        while ESC + b"E" in buf:
            end = buf.index(ESC + b"E") + 2
            chunk, buf = buf[:end], buf[end:]
            anchor = chunk.rfind(ESC + b"R")
            if anchor < 0:
                continue
            packet = chunk[anchor:]
            r = parse(packet)
            if r is None:
                continue
            if run is not None and (r == "zero" or packet != run[0] or t - run[2] > QUIET_S):
                close(t)
            if r != "zero":
                run = (packet, r, t)
    if run is not None:
        raise ValueError("trace ends inside a weighing: its time would depend on the replay's idle grace")
    return out


def facts(r, _keys):
    def obs(o):
        return {"code": o.get("code"), "value": o.get("value")}
    return {"effectiveTime": r["effectiveTime"], "clockSource": r["clock"]["source"], "observations": [obs(o) for o in r["observations"]]}


def main(fixtures_dir):
    common.main_with_facts(derive, facts, fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "healthometer-professional", "fixtures"))
