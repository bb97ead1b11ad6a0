"""Independent cross-check of the Omron HBP-9030 / HBP-9020 fixtures.

Written from drivers/devices/omron-hbp-9030/PROTOCOL.md (§2 line layouts, §3 what a line
becomes, §4 what is rejected), not from the driver's code. The BP panel has no value of its
own, so this checker compares whole observations (panel, components, pulse) itself instead of
common.compare, which reads one value per observation.

Usage: python3 scripts/crosscheck/omron-hbp-9030.py [fixtures-dir]
"""

import datetime as dt
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

PANEL, SYS, DIA, MEAN, PULSE = "85354-9", "8480-6", "8462-4", "8478-0", "8867-4"
MDC_CUFF_PULSE = 149546  # MDC_PULS_RATE_NON_INV: the pulse source is the cuff (§3)
ID_RE = re.compile(r"^[\x20-\x2b\x2d-\x7e]{0,20}$")


def when(y, mo, d, h, mi):
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi)).strftime("%Y-%m-%dT%H:%M")
    except ValueError:
        return None


def nums(fields):
    return [int(f) for f in fields] if all(re.fullmatch(r"\d{1,3}", f) for f in fields) else None


def measurement(line):
    """(device time, id, sys, dia, mean or None, pulse, movement, model) or None (no reading)."""
    if re.search(r"[^\x20-\x7e]", line):
        return None
    f = line.split(",")
    if f[0].strip() == "bp":
        if len(f) != 9 or not ID_RE.match(f[1]):
            return None
        date, time = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", f[2].strip()), re.fullmatch(r"(\d{1,2}):(\d{1,2})", f[3].strip())
        t = when(*date.groups(), *time.groups()) if date and time else None
        v = nums([x.strip() for x in f[4:8]])
        if t is None or v is None or not re.fullmatch(r"\w{1,4}", f[8].strip()):
            return None
        return (t, f[1].strip(), v[0], v[2], v[1], v[3], False, "HBP-9020")
    if len(f) != 11 or not re.fullmatch(r"\d{4}", f[0].strip()) or not ID_RE.match(f[5]):
        return None
    if not all(re.fullmatch(r"\d{1,2}", x.strip()) for x in f[1:5]):
        return None
    t = when(*(x.strip() for x in f[0:5]))
    err, move = f[6].strip(), f[10].strip()
    v = nums([x.strip() for x in f[7:10]])
    if t is None or err != "0" or move not in ("0", "1") or v is None:
        return None  # an error line, or a malformed one: no reading either way
    return (t, f[5].strip(), v[0], v[1], None, v[2], move == "1", "HBP-9030")


def q(code, value, unit):
    return {"code": code, "value": {"kind": "quantity", "value": value, "unit": unit}}


def derive(trace):
    stream = b"".join(data for _, direction, data in trace.events if direction == "<")
    lines = [raw.decode("latin-1") for raw in re.split(rb"\r\n|\r|\n", stream)]
    if not stream.endswith((b"\r", b"\n")):
        lines = lines[:-1]  # the stream ended inside a line
    out = []
    for line in lines:
        m = measurement(line)
        if m is None:
            continue
        t, pid, sys_, dia, mean, pulse, move, model = m
        components = [q(SYS, sys_, "mm[Hg]"), q(DIA, dia, "mm[Hg]")] + ([q(MEAN, mean, "mm[Hg]")] if mean is not None else [])
        effective, clock = common.unjudged_clock(t + ":00")
        out.append({
            "model": model, "kind": "patient", "deviceTime": t, "effectiveTime": effective, "clock": clock,
            "observations": [{"code": PANEL, "components": components}, {**q(PULSE, pulse, "/min"), "mdc": MDC_CUFF_PULSE}],
            "flags": ["body-movement"] if move else [], "context": {"sampleId": pid} if pid else None,
        })
    return out


def facts(r):
    """The same facts from an expected reading (display names and panel MDC codes left out)."""
    def obs(o):
        fact = {"code": o.get("code")}
        if "value" in o:
            fact["value"] = o["value"]
        if o.get("components") is not None:
            fact["components"] = [obs(c) for c in o["components"]]
        if o.get("code") == PULSE:
            fact["mdc"] = o.get("mdc")
        return fact
    return {"model": r["device"]["model"], "kind": r["kind"], "deviceTime": r.get("deviceTime"), "effectiveTime": r["effectiveTime"],
            "clock": r.get("clock"), "observations": [obs(o) for o in r["observations"]], "flags": r["flags"], "context": r.get("context")}


def main(fixtures_dir):
    common.main_with_facts(derive, lambda r, _keys: facts(r), fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "omron-hbp-9030", "fixtures"))
