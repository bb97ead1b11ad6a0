"""Independent cross-check of the Mindray HL7 fixtures.

Written from drivers/devices/mindray-hl7/PROTOCOL.md (§1 framing, §2 dialects, §3 what becomes a
reading), not from the driver's code and without any HL7 library: MLLP frames are cut at
0B … 1C 0D, segments at CR, fields at |, components at ^. Only device-to-host bytes are read.

Usage: python3 scripts/crosscheck/mindray-hl7.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

PANEL, SYS, DIA, MEAN, PULSE = "85354-9", "8480-6", "8462-4", "8478-0", "8867-4"
MDC_CUFF_PULSE = 149546
IDS = {"pds": ("170", "171", "172", "173"), "pcd01": ("150021", "150022", "150023", "149546")}
MMHG = {"pds": ("", "mmHg"), "pcd01": ("", "266016")}


def frames(stream):
    """Whole MLLP payloads; a start byte inside a frame restarts it (the earlier one is cut short)."""
    out, i = [], 0
    while True:
        start = stream.find(b"\x0b", i)
        if start < 0:
            return out
        end = stream.find(b"\x1c\r", start)
        if end < 0:
            return out
        restart = stream.rfind(b"\x0b", start, end)
        out.append(stream[restart + 1:end])
        i = end + 2


def when(ts):
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\.\d{1,4})?([+-]\d{4})?", ts)
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}" if m else None


def num(text, dialect):
    if not re.fullmatch(r"[+-]?\d{1,6}(\.\d{1,4})?", text.strip()):
        return None
    v = float(text)
    if dialect == "pds" and v == -100:
        return None
    return int(v) if v == int(v) else v


def derive(trace):
    stream = b"".join(data for _, direction, data in trace.events if direction == "<")
    seen, out = set(), []
    for payload in frames(stream):
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            continue
        segs = [s.split("|") for s in text.replace("\r\n", "\r").split("\r") if s]
        if not segs or segs[0][0] != "MSH" or len(segs[0]) < 12:
            continue
        version = segs[0][11].split("^")[0]  # MSH-12: MSH-1 is the separator itself
        dialect = "pds" if version == "2.3.1" else "pcd01" if re.fullmatch(r"2\.(5|6)(\.\d+)?", version) else None
        if dialect is None:
            continue
        eui = segs[0][2].split("^")[1] if dialect == "pcd01" and len(segs[0][2].split("^")) > 1 else None
        groups = {}
        for s in segs:
            f = s + [""] * 15
            if f[0] != "OBX" or f[3].split("^")[0] not in IDS[dialect] or f[2] != "NM":
                continue
            if dialect == "pds" and f[13] != "APERIODIC":
                continue
            t = when(f[14])
            groups.setdefault(t, {})[f[3].split("^")[0]] = (num(f[5], dialect), f[6].split("^")[0])
        for t, rows in groups.items():
            s_id, d_id, m_id, p_id = IDS[dialect]
            sys_, dia = rows.get(s_id, (None, "")), rows.get(d_id, (None, ""))
            if t is None or sys_[0] is None or dia[0] is None or sys_[1] not in MMHG[dialect] or dia[1] not in MMHG[dialect]:
                continue
            if (dialect, t) in seen:
                continue  # the same result sent again
            seen.add((dialect, t))
            comps = [q(SYS, sys_[0]), q(DIA, dia[0])]
            mean = rows.get(m_id, (None, ""))
            if mean[0] is not None and mean[1] in MMHG[dialect]:
                comps.append(q(MEAN, mean[0]))
            obs = [{"code": PANEL, "components": comps}]
            pr = rows.get(p_id, (None, ""))
            if pr[0] is not None:
                obs.append({"code": PULSE, "value": {"kind": "quantity", "value": pr[0], "unit": "/min"}, "mdc": MDC_CUFF_PULSE})
            effective, clock = common.unjudged_clock(t)
            out.append({"serial": eui, "kind": "patient", "deviceTime": t, "effectiveTime": effective, "clock": clock, "observations": obs, "flags": []})
    return out


def q(code, value):
    return {"code": code, "value": {"kind": "quantity", "value": value, "unit": "mm[Hg]"}}


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
    return {"serial": r["device"].get("serial"), "kind": r["kind"], "deviceTime": r.get("deviceTime"), "effectiveTime": r["effectiveTime"],
            "clock": r.get("clock"), "observations": [obs(o) for o in r["observations"]], "flags": r["flags"]}


def main(fixtures_dir):
    common.main_with_facts(derive, lambda r, _keys: facts(r), fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "mindray-hl7", "fixtures"))
