"""Independent cross-check of the Nonin ASCII real-time fixtures.

Written from drivers/devices/nonin-ascii/PROTOCOL.md (§2 framing, §3 data line, §4 header, §5
validity, flags, time and the stability rule) and docs/adding-a-driver.md §2, not from the
driver's code. Stability as read here: each data line stands for a time on the trace clock, one
second after the previous line's when it arrives within 0.4 s of that, else its arrival time; a
gap of more than 3 s or an invalid sample empties the window; a reading when the run of valid
samples within ±1 % SpO2 and ±3 /min pulse of the newest spans ≥ 10 s; then none until an
invalid sample re-arms it. No device time: the effective time is the arrival time of the line
that completed the reading, in whole seconds after the `# recorded:` instant (workstation clock).

Usage: python3 scripts/crosscheck/nonin-ascii.py [fixtures-dir]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SPO2, PULSE = "59408-5", "8867-4"
DATA = re.compile(r"^(?:(\d\d):(\d\d):(\d\d) +)?SPO2=(\d{1,3}|---) +HR=(\d{1,3}|---)([ F*B]*)$")
SUFFIX_FLAGS = {"F": "fast-mode", "*": "event-marker", "B": "breath-detected"}


def lines_with_times(trace):
    """(arrival seconds, line text) for every complete line of the device stream (§2)."""
    out, buf = [], b""
    for time, direction, data in trace.events:
        if direction != "<":
            continue
        for byte in data:
            if byte in (0x0D, 0x0A):
                if buf:
                    out.append((time, buf.decode("latin-1")))
                buf = b""
            else:
                buf += bytes([byte])
    return out  # a line the stream ended inside is dropped


def sample(text):
    """None for a header or garbage line; else (valid, spo2, pulse, flags)."""
    text = text.rstrip(" ")
    if any(not (0x20 <= ord(c) <= 0x7E or c == "\t") for c in text) or "SPO2=" not in text:
        return None
    m = DATA.match(text)
    if not m:
        return None
    h, mi, s, spo2, hr, suffix = m.groups()
    letters = suffix.replace(" ", "")
    if len(set(letters)) != len(letters):
        return None
    if h is not None and (int(h) > 23 or int(mi) > 59 or int(s) > 59):
        return None
    if spo2 != "---" and int(spo2) > 100:
        return None
    spo2 = None if spo2 == "---" or int(spo2) == 0 else int(spo2)
    hr = None if hr == "---" or int(hr) == 0 else int(hr)
    flags = [SUFFIX_FLAGS[c] for c in "F*B" if c in letters]
    return (spo2 is not None and hr is not None, spo2, hr, flags)


def derive(trace):
    recorded = trace.recorded_s()
    last_at, window, armed, readings = None, [], True, []
    for arrival, text in lines_with_times(trace):
        s = sample(text)
        if s is None:
            continue
        valid, spo2, hr, flags = s
        at = arrival if last_at is None or abs(arrival - (last_at + 1)) > 0.4 else last_at + 1
        last_at = at
        if not valid:
            window, armed = [], True
            continue
        if window and (at < window[-1][0] or at - window[-1][0] > 3):
            window = []
        window.append((at, spo2, hr))
        run = []
        for old in reversed(window):
            if abs(old[1] - spo2) > 1 or abs(old[2] - hr) > 3:
                break
            run.append(old)
        window = list(reversed(run))
        if armed and at - window[0][0] >= 10 - 1e-9:
            armed, window = False, []
            readings.append({
                "kind": "patient", "serial": None, "deviceTime": None,
                "effectiveTime": common.iso_offset(int(recorded + arrival)), "clock": {"source": "workstation"},
                "sequence": None,
                "observations": [common.quantity(SPO2, spo2, "%"), common.quantity(PULSE, hr, "/min")],
                "flags": flags + ["auto-capture"]})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "nonin-ascii", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
