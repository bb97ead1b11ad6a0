"""Independent cross-check of the Nonin Onyx II 9560 fixtures (Data Format 13, the default).

Written from drivers/devices/nonin-onyx-9560/PROTOCOL.md (§2 commands and clock reply, §4 the DF13
record, §7 validity, flags and time), not from the driver's code. A DF13 record is found by its
header `00 02 00 0D`, a big-endian data length of at least 14, and ETX after the checksum; the
checksum is the low byte of the sum of the data section; the date is BCD. A record with NOMS set
or a missing value (pulse 511 or 0, SpO2 127, 0 or above 100) gives no reading. The clock reply
`02 F2 06 YY MM DD hh mm ss 03` measures the skew (workstation minus device) at its arrival. A
record with MEM set is stored (its device time, corrected when the skew exceeds 5 min); any other
is live (the device time when within 5 min of its arrival, else the arrival time with clock-skew).

Usage: python3 scripts/crosscheck/nonin-onyx-9560.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SPO2, PULSE = "59408-5", "8867-4"


def from_bcd(b):
    hi, lo = b >> 4, b & 0x0F
    return None if hi > 9 or lo > 9 else hi * 10 + lo


def device_stream(trace):
    """(arrival seconds, byte) for every byte the device sent."""
    return [(t, b) for t, d, data in trace.events if d == "<" for b in data]


def valid_time(parts):
    import datetime as dt
    try:
        return dt.datetime(*parts).strftime("%Y-%m-%dT%H:%M:%S")
    except (ValueError, TypeError):
        return None


def derive(trace):
    recorded = trace.recorded_s()
    stream = device_stream(trace)
    data = bytes(b for _, b in stream)
    out, skew, i = [], None, 0
    while i < len(data):
        if data[i] == 0x02 and data[i + 1 : i + 3] == b"\xf2\x06" and len(data) >= i + 10 and data[i + 9] == 0x03:
            y, mo, d, h, mi, s = data[i + 3 : i + 9]
            t = valid_time((2000 + y, mo, d, h, mi, s))
            if t is not None:
                skew = recorded + stream[i + 9][0] - common.local_to_epoch(t)
            i += 10
            continue
        if data[i : i + 4] == b"\x00\x02\x00\x0d" and len(data) >= i + 6:
            n = data[i + 4] * 256 + data[i + 5]
            end = i + 6 + n + 2
            if 14 <= n <= 64 and len(data) >= end and data[end - 1] == 0x03:
                rec = data[i : end]
                arrival = stream[end - 1][0]
                i = end
                if sum(rec[6 : 6 + n]) & 0xFF != rec[6 + n]:
                    continue
                fields = [from_bcd(b) for b in rec[6:13]]
                if None in fields:
                    continue
                c, yy, mo, d, h, mi, s = fields
                t = valid_time((c * 100 + yy, mo, d, h, mi, s))
                if t is None:
                    continue
                msb, lsb = rec[14], rec[15]
                hr = ((rec[16] & 1) << 8) | rec[17]
                spo2 = rec[19] & 0x7F
                if msb & 0x01 or hr in (0, 511) or spo2 in (0, 127) or spo2 > 100:
                    continue
                flags = []
                if msb & 0x02:
                    flags.append("spot-check-high-quality")
                if lsb & 0x10:
                    flags.append("from-memory")
                if lsb & 0x01:
                    flags.append("low-battery")
                if lsb & 0x10:
                    effective, clock, extra = common.stored_clock(t, skew)
                else:
                    received = recorded + arrival
                    live_skew = received - common.local_to_epoch(t)
                    if abs(live_skew) > common.SKEW_THRESHOLD_S:
                        effective, clock, extra = common.iso_offset(int(received)), {"source": "workstation", "skewSeconds": round(live_skew)}, ["clock-skew"]
                    else:
                        effective, clock, extra = common.iso_offset(common.local_to_epoch(t)), {"source": "device", "skewSeconds": round(live_skew)}, []
                out.append({
                    "kind": "patient", "serial": None, "deviceTime": t, "effectiveTime": effective, "clock": clock,
                    "observations": [common.quantity(SPO2, spo2, "%"), common.quantity(PULSE, hr, "/min")],
                    "flags": flags + extra,
                })
                continue
        i += 1
    return out


if __name__ == "__main__":
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "drivers", "devices", "nonin-onyx-9560", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
