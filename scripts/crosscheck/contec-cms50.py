"""Independent cross-check of the Contec CMS50 fixtures.

Written from drivers/devices/contec-cms50/PROTOCOL.md (§2 telling the formats apart, §3 V7.0
packets and the high-byte restore, §4 older frames, §5 detection, §6 validity, watched samples,
the sample clock and the reading) and docs/adding-a-driver.md §2, not from the driver's code.
Read here: each device event's bytes are framed in the detected format; sample n stands for
(first arrival + pauses over 1.5 s) + n/60 s; the watched samples are every 60th and every one
whose validity differs from the previous sample's, plus every invalid one (which empties the
window); a reading when the run of watched valid samples within ±1 % SpO2 and ±3 /min of the
newest spans ≥ 10 s, then none until an invalid sample. No device time: the effective time is
the arrival of the event that completed the reading, whole seconds after `# recorded:`.

Usage: python3 scripts/crosscheck/contec-cms50.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SPO2, PULSE = "59408-5", "8867-4"


def frames_v7(stream):
    """(offset of the frame's last byte, data bytes restored) for each whole 9-byte type-0x01 packet."""
    out, i = [], 0
    while i < len(stream):
        if stream[i] & 0x80 == 0 and stream[i] == 0x01 and i + 9 <= len(stream) and all(b & 0x80 for b in stream[i + 1:i + 9]):
            high = stream[i + 1]
            data = [(b & 0x7F) | (((high >> k) & 1) << 7) for k, b in enumerate(stream[i + 2:i + 9])]
            out.append((i + 8, data))
            i += 9
        else:
            i += 1
    return out


def frames_legacy(stream):
    out, i = [], 0
    while i < len(stream):
        if stream[i] & 0x80 and i + 5 <= len(stream) and not any(b & 0x80 for b in stream[i + 1:i + 5]):
            out.append((i + 4, list(stream[i:i + 5])))
            i += 5
        else:
            i += 1
    return out


def sample_v7(d):
    blocked = d[0] & 0x80 or d[0] & 0x10
    spo2 = d[4] if d[4] != 0x7F and 1 <= d[4] <= 100 else None
    pr = d[3] if d[3] != 0xFF and d[3] >= 1 else None
    pi = d[5] | (d[6] << 8)
    flags = [f for bit, f in ((0x80, "probe-error"), (0x10, "searching"), (0x20, "spo2-low")) if d[0] & bit]
    extra = [] if blocked or pi == 0xFFFF or d[2] & 0x10 else [{"code": None, "kind": "unmapped", "label": "PI", "value": f"{pi / 100:.2f}%", "interpretation": None}]
    return (not blocked and spo2 is not None and pr is not None), spo2, pr, flags, extra


def sample_legacy(b):
    blocked = b[2] & 0x10 or b[2] & 0x20 or b[0] & 0x10
    spo2 = b[4] if 1 <= b[4] <= 100 else None
    pr = (b[3] & 0x7F) | ((b[2] & 0x40) << 1)
    pr = pr if pr >= 1 else None
    flags = [f for byte, bit, f in ((2, 0x10, "probe-error"), (2, 0x20, "searching"), (0, 0x10, "finger-out"), (0, 0x20, "spo2-low")) if b[byte] & bit]
    return (not blocked and spo2 is not None and pr is not None), spo2, pr, flags, []


def derive(trace):
    recorded = trace.recorded_s()
    stream, arrivals = b"", []
    for time, direction, data in trace.events:
        if direction == "<":
            stream += data
            arrivals += [time] * len(data)
    v7, legacy = frames_v7(stream), frames_legacy(stream)
    fmt = "v7" if len(v7) >= len(legacy) else "legacy"
    frames = v7 if fmt == "v7" else legacy
    decode = sample_v7 if fmt == "v7" else sample_legacy
    base, last_arrival, prev_valid, window, armed, readings = None, 0, None, [], True, []
    for n, (end, data) in enumerate(frames):
        arrival = arrivals[end]
        if base is None:
            base = arrival
        elif arrival - last_arrival > 1.5:
            base += arrival - last_arrival
        last_arrival = arrival
        at = base + n / 60
        valid, spo2, pr, flags, extra = decode(data)
        watched = n % 60 == 0 or valid != prev_valid
        prev_valid = valid
        if not valid:
            window, armed = [], True
            continue
        if not watched:
            continue
        if window and at - window[-1][0] > 3:
            window = []
        window.append((at, spo2, pr))
        run = []
        for old in reversed(window):
            if abs(old[1] - spo2) > 1 or abs(old[2] - pr) > 3:
                break
            run.append(old)
        window = list(reversed(run))
        if armed and at - window[0][0] >= 10 - 1e-6:
            armed, window = False, []
            readings.append({
                "kind": "patient", "serial": None, "deviceTime": None,
                "effectiveTime": common.iso_offset(int(recorded + arrival)), "clock": {"source": "workstation"}, "sequence": None,
                "observations": [common.quantity(SPO2, spo2, "%"), common.quantity(PULSE, pr, "/min")] + extra,
                "flags": flags + ["auto-capture"]})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "contec-cms50", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
