"""Independent cross-check of the Omron HEM-790IT family fixtures.

Written from drivers/devices/omron-hem-790it/PROTOCOL.md (§1 reports, §3 answers, §5 the GME
layout and what a reading becomes, §6 no clock), not from the driver's code. It pairs each GME
request with the answer that follows it, keeps the last whole answer with a good XOR per index,
and derives the readings oldest first. The BP panel has no value of its own, so whole
observations are compared here rather than with common.compare.

Usage: python3 scripts/crosscheck/omron-hem-790it.py [fixtures-dir]
"""

import datetime as dt
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

PANEL, SYS, DIA, PULSE = "85354-9", "8480-6", "8462-4", "8867-4"
MDC_CUFF_PULSE = 149546  # the pulse source is the cuff (§5)


def valid(report):
    """The valid bytes of an 8-byte report (§1), or None."""
    padded = report + bytes(8 - len(report)) if len(report) < 8 else report
    n = padded[0]
    return padded[1 : 1 + n] if 1 <= n <= 7 else None


def exchanges(trace):
    """(command bytes, answer bytes) pairs: host reports joined until the monitor answers."""
    out, command, answer = [], b"", b""
    for _, direction, data in trace.events:
        body = valid(data)
        if body is None:
            continue
        if direction == ">":
            if answer:
                out.append((command, answer))
                command, answer = b"", b""
            command += body
        else:
            answer += body
    if command or answer:
        out.append((command, answer))
    return out


def gme_answers(trace):
    """index -> 14 data bytes of the last whole GME answer with a good checksum (§3, §5)."""
    found = {}
    for command, answer in exchanges(trace):
        if not command.startswith(b"GME") or len(command) != 8:
            continue
        index = command[6] * 256 + command[7]
        if len(answer) != 17 or answer[:3] != b"OK\x00":
            continue
        data = answer[3:]
        x = 0
        for b in data[:13]:
            x ^= b
        if x == data[13]:
            found[index] = data
    return found


def stored_time(d):
    try:
        return dt.datetime(2000 + d[0], d[1], d[2], d[3], d[4], d[5]).strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None


def q(code, value, unit):
    return {"code": code, "value": {"kind": "quantity", "value": value, "unit": unit}}


def derive(trace):
    answers = gme_answers(trace)
    out = []
    for index in sorted(answers, reverse=True):  # index 0 is the newest: oldest first
        d = answers[index]
        sys_, dia, pulse, flags = d[7] * 256 + d[8], d[9], d[10], d[11] * 256 + d[12]
        if sys_ == 0 and dia == 0 and pulse == 0:
            continue
        if not (20 <= sys_ <= 300 and 10 <= dia < sys_ and 20 <= pulse <= 250):
            continue
        t = stored_time(d)
        names = []
        if flags & 0x0001:
            names.append("irregular-heartbeat")
        if flags & 0x0002:
            names.append("body-movement")
        fact = {
            "kind": "patient",
            "deviceTime": t,
            "observations": [{"code": PANEL, "components": [q(SYS, sys_, "mm[Hg]"), q(DIA, dia, "mm[Hg]")]}, {**q(PULSE, pulse, "/min"), "mdc": MDC_CUFF_PULSE}],
            "context": None,
        }
        if t is None:
            names.append("device-time-invalid")
            fact["context"] = {"sequence": "stored-time-" + d[:6].hex().upper()}
        else:
            # No clock read (§6): the stored time stands, clock source device, no skew.
            fact["effectiveTime"] = common.iso_offset(common.local_to_epoch(t))
            fact["clock"] = {"source": "device"}
        fact["flags"] = sorted(names)
        out.append(fact)
    return out


def facts(r, keys):
    def obs(o):
        fact = {"code": o.get("code")}
        if "value" in o:
            fact["value"] = o["value"]
        if o.get("components") is not None:
            fact["components"] = [obs(c) for c in o["components"]]
        if o.get("code") == PULSE:
            fact["mdc"] = o.get("mdc")
        return fact

    full = {"kind": r["kind"], "deviceTime": r.get("deviceTime"), "effectiveTime": r.get("effectiveTime"), "clock": r.get("clock"),
            "observations": [obs(o) for o in r["observations"]], "flags": sorted(r["flags"]), "context": r.get("context")}
    return {k: full[k] for k in keys}


def main(fixtures_dir):
    common.main_with_facts(derive, facts, fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "omron-hem-790it", "fixtures"))
