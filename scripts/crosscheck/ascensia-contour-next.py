"""Independent cross-check of the Contour (Next) USB fixtures.

Written from drivers/devices/ascensia-contour-next/PROTOCOL.md (§3 `ABC n` HID reports, §4 link
layer: frames `STX FN text ETB|ETX C1 C2 CR LF`, checksum = sum of FN..ETB/ETX mod 256, frame
numbers 1..7, 0, …, duplicates and restarts; §5 header and result records), not from the driver's
code or the ASTM family code. Only the meter's reports are read: a frame with a bad checksum or
an unexpected number is not taken (the meter sends it again), a frame with the number just taken
is a repeat, an ENQ restarts the message, and a result record seen before is not read twice.

Usage: python3 scripts/crosscheck/ascensia-contour-next.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

STX, ETX, ENQ, ETB = 0x02, 0x03, 0x05, 0x17
CODES = {"mg/dL": "41653-7", "mmol/L": "14743-9"}
BOUNDS = {"mg/dL": (10, 600), "mmol/L": (0.6, 33.3)}
METHODS = {"P": "plasma", "B": "whole blood", "C": "capillary"}
MARKERS = {"B": "meal:before", "A": "meal:after", "D": "logbook"}


def stream(trace):
    """The meter's payload bytes (§3) and the trace time of each."""
    data, times = bytearray(), []
    for time, direction, report in trace.events:
        if direction == "<" and len(report) >= 4 and report[3] <= 60:
            payload = report[4:4 + report[3]]
            data += payload
            times += [time] * len(payload)
    return bytes(data), times


def records(data, times):
    """(record text, time of its last frame) for every record the receiver takes (§4)."""
    out, text, last_fn, i = [], "", None, 0
    while i < len(data):
        b = data[i]
        if b == ENQ:
            text, last_fn = "", None  # a new message: numbering restarts, a half record is dropped
        if b != STX:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(data)) if data[j] in (ETB, ETX)), None)
        if end is None:
            break  # the stream ends inside a frame
        body, check = data[i + 1:end + 1], data[end + 1:end + 3]
        good = check == f"{sum(body) % 256:02X}".encode() and data[end + 3:end + 5] == b"\r\n"
        if not good:
            i += 1
            continue
        fn = body[0] - 0x30
        expected = 1 if last_fn is None else (last_fn + 1) % 8
        if last_fn is not None and fn == last_fn:
            pass  # a repeat after a lost ACK: taken once
        elif last_fn is None or fn == expected:
            last_fn = fn
            text += body[1:-1].decode("latin-1")
            if body[-1] == ETX or text.endswith("\r"):
                out.append((text.rstrip("\r"), times[end]))
                text = ""
        i = end + 5
    return out


def header_facts(fields):
    """§5 header: serial, U, V (low, high, unit V is in) and the meter time."""
    parts = fields[4].split("^")
    serial = parts[2] if len(parts) > 2 else None
    info = dict(kv.split("=", 1) for kv in fields[5].split("^") if "=" in kv)
    u = info.get("U", "0")
    v = info.get("V")
    bounds = None
    if v and len(v) == 5:
        low, high = int(v[:2]), int(v[2:])
        if u == "0" or high >= 400:
            bounds = ("mg/dL", low, high)
        else:
            bounds = ("mmol/L", low / 10, high / 10)
    return serial, bounds, fields[13]


def local(digits):
    s = digits[12:14] if len(digits) == 14 else "00"
    return f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:{s}"


def derive(trace):
    recorded = trace.recorded_s()
    serial, bounds, skew, seen, readings = None, None, None, set(), []
    for text, time in records(*stream(trace)):
        fields = text.split("|")
        if fields[0] == "H" and serial is None:
            serial, bounds, meter_time = header_facts(fields)
            if recorded is not None:
                skew = recorded + time - common.local_to_epoch(local(meter_time))
        elif fields[0] == "R" and text not in seen:
            seen.add(text)
            unit_method = fields[4].split("^")
            unit, method = unit_method[0], unit_method[1] if len(unit_method) > 1 else ""
            markers = [m for m in fields[6].split("/") if m]
            number = float(fields[3])
            value = int(number) if number.is_integer() else number
            kind, flags, comparator, interp = "patient", [], None, None
            for m in markers:
                if m == ">":
                    comparator, interp, flags = ">", "HH", flags + ["out-of-range:high"]
                elif m == "<":
                    comparator, interp, flags = "<", "LL", flags + ["out-of-range:low"]
                elif m == "C":
                    kind, flags = "control", flags + ["control-solution"]
                else:
                    flags.append(MARKERS.get(m, f"marker:{m}"))
            if comparator:
                # the bound: V when V is in the result's unit, else the record's number, else the documented one
                if bounds and bounds[0] == unit:
                    value = bounds[2] if comparator == ">" else bounds[1]
                elif not fields[3]:
                    value = BOUNDS[unit][1 if comparator == ">" else 0]
            device_time = local(fields[8])
            effective, clock, clock_flags = common.stored_clock(device_time, skew)
            readings.append({"kind": kind, "serial": serial, "deviceTime": device_time, "effectiveTime": effective,
                             "clock": clock, "context": {"method": METHODS.get(method, method)},
                             "observations": [common.quantity(CODES[unit], value, unit, comparator, interp)],
                             "flags": flags + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "ascensia-contour-next", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
