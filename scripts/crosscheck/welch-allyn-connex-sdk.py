"""Independent cross-check of the Welch Allyn Connectivity SDK fixtures.

Written from drivers/devices/welch-allyn-connex-sdk/PROTOCOL.md (§2 calls and fields, §2.3
values, §3 what a reading becomes, §4 the session) and docs/trace-format.md §1.3 (the HTTP
envelopes), not from the driver's code. It pairs each request envelope with its response, reads
the JSON itself, and compares model, device and effective time, clock, observations (code, value,
unit, printed decimals, pulse MDC source) and context with the expected files.

Usage: python3 scripts/crosscheck/welch-allyn-connex-sdk.py [fixtures-dir]
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

PANEL, SYS, DIA, MEAN, PULSE = "85354-9", "8480-6", "8462-4", "8478-0", "8867-4"
MDC_CUFF, MDC_UNSTATED = 149546, 149514
TEMP_UNITS = {"DEG_F": "[degF]", "DEG_C": "Cel"}
HEIGHT_UNITS = {"UNITS_INCHES": "[in_i]", "UNITS_CENTIMETERS": "cm"}
WEIGHT_UNITS = {"UNITS_LBS": "[lb_av]", "UNITS_KG": "kg"}


def exchanges(trace):
    """(path, status, body) per request, in order; responses may be cut anywhere."""
    stream = b"".join(data for _t, d, data in trace.events if d == "<")
    paths = [data.decode("latin-1").strip()[4:] for _t, d, data in trace.events if d == ">"]
    out, i = [], 0
    for path in paths:
        end = stream.index(b"\n", i)
        m = re.fullmatch(r"HTTP (\d{3}) (\d+)", stream[i:end].decode("latin-1"))
        length = int(m.group(2))
        body = stream[end + 1: end + 1 + length]
        out.append((path, int(m.group(1)), body))
        i = end + 1 + length
    return out


def value(text):
    """(number, text with a point) or None for not measured, or ('bad', text)."""
    t = (text or "").strip()
    if t == "" or t == "0":
        return None
    dotted = t.replace(",", ".")
    if not re.fullmatch(r"\d{1,4}(\.\d{1,3})?", dotted):
        return ("bad", t)
    n = float(dotted)
    if n == 0:
        return None
    return (int(n) if n == int(n) and "." not in dotted else n, dotted)


def qty(code, v, unit, mdc=None):
    fact = {"code": code, "value": {"kind": "quantity", "value": v[0], "unit": unit}}
    if "." in v[1]:
        fact["value"]["decimals"] = len(v[1].split(".")[1])
    if mdc is not None:
        fact["mdc"] = mdc
    return fact


def text(code, label, t):
    fact = {"value": {"kind": "unmapped", "label": label, "text": t}}
    if code:
        fact["code"] = code
    return fact


def observations(e, dev):
    obs = []
    s, d, m = value(e.get("systolic")), value(e.get("diastolic")), value(e.get("map"))
    bad = any(isinstance(x, tuple) and x[0] == "bad" for x in (s, d, m))
    if s and d and not bad and dev.get("nibpdisplayunit") in ("NIBP_MMHG", "NIBP_KPA"):
        parts = [(SYS, "SYS", s), (DIA, "DIA", d)] + ([(MEAN, "MAP", m)] if m else [])
        if dev["nibpdisplayunit"] == "NIBP_MMHG":
            comps = [qty(c, v, "mm[Hg]") for c, _l, v in parts]
        else:
            comps = [text(c, l, f"{v[1]} kPa") for c, l, v in parts]
        obs.append({"code": PANEL, "components": comps})
    elif s or d or m:
        show = lambda x: "-" if x is None else x[1]
        obs.append(text(PANEL, "NIBP", f"{show(s)}/{show(d)} ({show(m)}) {dev.get('nibpdisplayunit')}"))
    p, hr = value(e.get("pulse")), value(e.get("hr"))
    if p:
        obs.append(qty(PULSE, p, "/min", MDC_CUFF if s and not (isinstance(s, tuple) and s[0] == "bad") else MDC_UNSTATED))
    if hr and (not p or hr[0] != p[0]):
        obs.append(qty(PULSE, hr, "/min", MDC_UNSTATED))
    for field, code, units, label, unit_key in (("o2sat", "59408-5", {"": "%"}, "SpO2", None), ("respiration", "9279-1", {"": "/min"}, "RR", None),
                                                ("temperature", "8310-5", TEMP_UNITS, "Temp", "tempdisplayunit"), ("height", "8302-2", HEIGHT_UNITS, "Height", "heightdisplayunit"),
                                                ("weight", "29463-7", WEIGHT_UNITS, "Weight", "weightdisplayunit"), ("bmi", "39156-5", {"": "kg/m2"}, "BMI", None)):
        v = value(e.get(field))
        if not v:
            continue
        unit_name = dev.get(unit_key) if unit_key else ""
        unit = units.get(unit_name or "")
        if v[0] == "bad":
            obs.append(text(code, label, f"{v[1]} {unit_name}" if unit_name else v[1]))
        elif unit:
            obs.append(qty(code, v, unit))
        else:
            obs.append(text(code, label, f"{v[1]} {unit_name}"))
    pain = value(e.get("pain"))
    if pain:
        obs.append(text(None, "Pain", pain[1]))
    return obs


def derive(trace):
    ex = exchanges(trace)
    devices = json.loads(ex[0][2])
    dev = devices[0]
    recorded = trace.recorded_s()
    skew = recorded - common.local_to_epoch(dev["date"]) if recorded is not None else None
    out, seen = [], set()
    for path, status, body in ex[1:]:
        if status != 200:
            continue
        try:
            entries = json.loads(body)
        except ValueError:
            continue
        for e in entries:
            key = json.dumps(e, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            obs = observations(e, dev)
            if not obs:
                continue
            effective, clock, flags = common.stored_clock(e["date"], skew)
            ctx = {}
            for k, f in (("sampleId", "patientid"), ("operatorId", "clinicianid")):
                if (e.get(f) or "0").strip() != "0":
                    ctx[k] = e[f].strip()
            if e.get("reading", "").strip():
                ctx["sequence"] = e["reading"].strip()
            out.append({"model": dev["modelname"], "deviceTime": e["date"], "effectiveTime": effective, "clock": clock, "flags": flags,
                        "observations": obs, "context": ctx or None})
    return out


def facts(r):
    def obs(o):
        fact = {k: o[k] for k in ("code", "value") if k in o}
        if o.get("components") is not None:
            fact["components"] = [obs(c) for c in o["components"]]
        if o.get("code") == PULSE:
            fact["mdc"] = o.get("mdc")
        return fact
    return {"model": r["device"]["model"], "deviceTime": r.get("deviceTime"), "effectiveTime": r["effectiveTime"], "clock": r.get("clock"),
            "flags": r["flags"], "observations": [obs(o) for o in r["observations"]], "context": r.get("context")}


def main(fixtures_dir):
    common.main_with_facts(derive, lambda r, _keys: facts(r), fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "welch-allyn-connex-sdk", "fixtures"))
