"""Independent cross-check of the GE DINAMAP fixtures.

Written from drivers/devices/ge-dinamap/PROTOCOL.md (§3 checksum and reply layouts, §4 what is
new, §6 what a result becomes), not from the driver's code. Each host poll in the trace is paired
with the reply after it; a cycle is NA, OA, RA, TC; what is new is judged at the end of a cycle
and stamped with the trace time of the cycle's last reply (whole seconds, workstation clock).

Usage: python3 scripts/crosscheck/ge-dinamap.py [fixtures-dir]
"""

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

LENGTH = {"NA": 21, "OA": 12, "RA": 9, "TC": 18}
PANEL, SYS, DIA, MEAN, PULSE, TEMP = "85354-9", "8480-6", "8462-4", "8478-0", "8867-4", "8310-5"
MDC_CUFF_PULSE = 149546


def checksum(text):
    s = 0
    for c in text:
        s += ord(c) - 0x1F
        if s > 0xFFF:
            s -= 0xFFF
    return chr(0x20 + (s >> 6)) + chr(0x20 + (s & 0x3F))


def num(text):
    return int(text) if text.isdigit() else None


def value(text):
    n = num(text)
    return None if n in (None, 0) else n


def parse(poll, reply):
    """The reply's fields, or None when the echo, length or status digit is wrong (checksum only compared)."""
    r = reply.rstrip("\r\n")
    if not r.startswith(" " + poll) or len(r) != LENGTH[poll] or not r[3].isdigit():
        return None
    if poll == "NA":
        if num(r[4]) is None or num(r[6:10]) is None:
            return None
        since = int(r[6:10])
        return {"status": int(r[3]), "since": None if since == 9999 else since, "sys": value(r[10:13]), "dia": value(r[13:16]), "map": value(r[16:19])}
    if poll == "OA":
        return {"status": int(r[3]), "spo2": value(r[4:7])}
    if poll == "RA":
        return {"source": int(r[3]), "rate": value(r[4:7])}
    if num(r[6:11]) is None:
        return None
    return {"status": int(r[3]), "counter": r[5], "tenths": value(r[11:15])}


def q(code, v, unit, decimals=None):
    out = {"code": code, "value": {"kind": "quantity", "value": v, "unit": unit}}
    if decimals is not None:
        out["value"]["decimals"] = decimals
    return out


def derive(trace):
    start = trace.recorded_s()
    exchanges, pending = [], None
    for t, direction, data in trace.events:
        text = data.decode("latin-1")
        if direction == ">":
            pending = text[1:3]
        elif pending is not None:
            exchanges.append((pending, text, t))
            pending = None
    out, last_na, last_tc = [], None, None
    for i in range(0, len(exchanges), 4):
        cycle = {poll: parse(poll, reply) for poll, reply, _ in exchanges[i:i + 4]}
        at = exchanges[min(i + 3, len(exchanges) - 1)][2]
        when = common.iso_offset(math.floor(start + at))
        na, ra, tc = cycle.get("NA"), cycle.get("RA"), cycle.get("TC")
        if na:
            if last_na is not None and na["since"] is not None and (last_na["since"] is None or na["since"] < last_na["since"]) and na["status"] == 1 and na["sys"] and na["dia"]:
                comps = [q(SYS, na["sys"], "mm[Hg]"), q(DIA, na["dia"], "mm[Hg]")] + ([q(MEAN, na["map"], "mm[Hg]")] if na["map"] else [])
                obs = [{"code": PANEL, "components": comps}]
                if ra and ra["source"] == 3 and ra["rate"]:
                    obs.append({**q(PULSE, ra["rate"], "/min"), "mdc": MDC_CUFF_PULSE})
                out.append({"effectiveTime": when, "observations": obs})
            last_na = na
        if tc:
            if last_tc is not None and tc["counter"] != last_tc["counter"] and tc["status"] == 0 and tc["tenths"]:
                out.append({"effectiveTime": when, "observations": [q(TEMP, tc["tenths"] / 10, "[degF]", 1)]})
            last_tc = tc
    return out


def facts(r):
    def obs(o):
        fact = {"code": o.get("code")}
        if "value" in o:
            fact["value"] = o["value"]
        if o.get("components") is not None:
            fact["components"] = [obs(c) for c in o["components"]]
        if o.get("code") == PULSE:
            fact["mdc"] = o.get("mdc")
        return fact
    return {"effectiveTime": r["effectiveTime"], "observations": [obs(o) for o in r["observations"]]}


def main(fixtures_dir):
    common.main_with_facts(derive, lambda r, _keys: facts(r), fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "ge-dinamap", "fixtures"))
