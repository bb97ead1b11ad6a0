"""Independent cross-check of the Roche Accu-Chek USB (IEEE 11073-20601) fixtures.

Written from drivers/devices/roche-accu-chek-usb/PROTOCOL.md, not from the driver's code:
§2 APDUs `choice u16, length u16, body` big-endian, one per transfer; §4 the MDS GET answer
(ID_PROD_SPECN 0x092D spec-type 1 = serial, TIME_ABS 0x0987 = BCD clock), the configuration's
unit code 0x0996 (2130 mg/dL, 4722 mmol/L); §5 segment-data events (event type 0x0D21, entries
from offset 36 of the APDU, 12 bytes each: BCD time, SFLOAT value, status); §6 the mapping
(+INF HI > 600 mg/dL, -INF LO below 10 (Instant) or 20, status 0x0800 control, 0x8000/0x2000
no result, 0x4000 questionable). Skew = recorded time + time of the GET answer - meter clock.

Usage: python3 scripts/crosscheck/roche-accu-chek-usb.py [fixtures-dir]
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

MG = "41653-7"
MMOL = "14743-9"
CHOICES = {0xE200, 0xE300, 0xE400, 0xE500, 0xE600, 0xE700}
INSTANT = {958, 959, 960, 961, 963, 964, 965, 966, 967, 968, 969, 970, 971, 972, 973, 975, 976, 977, 978, 979, 980}


def apdus(stream, times):
    """(time, apdu bytes) for every APDU in the meter's stream; other bytes skipped."""
    out, i = [], 0
    while i + 4 <= len(stream):
        choice, length = struct.unpack(">HH", stream[i:i + 4])
        if choice in CHOICES and i + 4 + length <= len(stream) and (choice != 0xE700 or struct.unpack(">H", stream[i + 4:i + 6])[0] == length - 2):
            out.append((times[i + 3 + length], stream[i:i + 4 + length]))
            i += 4 + length
        else:
            i += 1
    return out


def bcd(b):
    return (b >> 4) * 10 + (b & 15)


def clock_text(b):
    y = bcd(b[0]) * 100 + bcd(b[1])
    return f"{y:04d}-{bcd(b[2]):02d}-{bcd(b[3]):02d}T{bcd(b[4]):02d}:{bcd(b[5]):02d}:{bcd(b[6]):02d}"


def avas(body):
    """{id: value} of an AttributeList body (count, length, then id/len/value)."""
    count, _ = struct.unpack(">HH", body[:4])
    out, i = {}, 4
    for _ in range(count):
        aid, alen = struct.unpack(">HH", body[i:i + 4])
        out.setdefault(aid, body[i + 4:i + 4 + alen])
        i += 4 + alen
    return out


def sfloat(v):
    m, e = v & 0x0FFF, v >> 12
    m = m - 0x1000 if m >= 0x800 else m
    e = e - 16 if e >= 8 else e
    return m, e


def derive(trace):
    stream, times = bytearray(), []
    for time, direction, data in trace.events:
        if direction == "<":
            stream += data
            times += [time] * len(data)
    serial, skew, unit, low, entries = None, None, "mg/dL", 20, []
    for time, a in apdus(bytes(stream), times):
        if a[0] != 0xE7:
            continue
        data_choice = struct.unpack(">H", a[8:10])[0]
        if data_choice == 0x0203 and struct.unpack(">H", a[12:14])[0] == 0:
            attrs = avas(a[14:])
            if 0x092D in attrs:
                spec = attrs[0x092D]
                count, i = struct.unpack(">H", spec[:2])[0], 4
                for _ in range(count):
                    kind, _, n = struct.unpack(">HHH", spec[i:i + 6])
                    if kind == 1:
                        serial = spec[i + 6:i + 6 + n].decode("latin1").rstrip("\0 ")
                    i += 6 + n
            if 0x0928 in attrs:
                m = attrs[0x0928]
                n1 = struct.unpack(">H", m[:2])[0]
                model = m[4 + n1:].decode("latin1")
                digits = "".join(c for c in model if c.isdigit())
                low = 10 if digits and int(digits) in INSTANT else 20
            if 0x0987 in attrs and trace.recorded_s() is not None:
                skew = trace.recorded_s() + time - common.local_to_epoch(clock_text(attrs[0x0987]))
        elif data_choice == 0x0101:
            event = struct.unpack(">H", a[18:20])[0]
            if event == 0x0D1C:
                body, i = a[22:], 6
                count = struct.unpack(">H", body[2:4])[0]
                for _ in range(count):
                    cls, _, n, ln = struct.unpack(">HHHH", body[i:i + 8])
                    if cls == 6:
                        attrs = avas(body[i + 4:i + 8 + ln])
                        if 0x0996 in attrs:
                            unit = {2130: "mg/dL", 4722: "mmol/L"}[struct.unpack(">H", attrs[0x0996])[0]]
                    i += 8 + ln
            elif event == 0x0D21:
                count = struct.unpack(">I", a[28:32])[0]
                for k in range(count):
                    entries.append(a[36 + 12 * k:48 + 12 * k])
    readings = []
    code = MG if unit == "mg/dL" else MMOL
    for e in entries:
        status = struct.unpack(">H", e[10:12])[0]
        if status & 0xA000:
            continue
        device_time = clock_text(e[:8])
        raw = struct.unpack(">H", e[8:10])[0]
        flags = []
        if status & 0x0800:
            flags.append("control-solution")
        if status & 0x4000:
            flags.append("status:questionable")
        bound = (lambda mg: mg) if unit == "mg/dL" else (lambda mg: round(mg / 18.016, 1))
        if raw == 0x07FE:
            obs = common.quantity(code, bound(600), unit, ">", "HH")
            flags.append("out-of-range:high")
        elif raw == 0x0802:
            obs = common.quantity(code, bound(low), unit, "<", "LL")
            flags.append("out-of-range:low")
        else:
            m, x = sfloat(raw)
            obs = common.quantity(code, round(m * 10 ** x, 6), unit)
        effective, clock, clock_flags = common.stored_clock(device_time, skew)
        readings.append({"kind": "control" if status & 0x0800 else "patient", "serial": serial, "deviceTime": device_time,
                         "effectiveTime": effective, "clock": clock, "sequence": None, "observations": [obs],
                         "flags": flags + clock_flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "roche-accu-chek-usb", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
