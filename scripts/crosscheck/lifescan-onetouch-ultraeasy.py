"""Independent cross-check of the OneTouch UltraEasy / UltraMini fixtures.

Written from drivers/devices/lifescan-onetouch-ultraeasy/PROTOCOL.md, not from the driver's code:
§3 packets `02 LEN LCB MSG… 03 CRC_lo CRC_hi`, CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF)
over STX..ETX; §5 the commands (serial, unit, clock, count `05 1F F5 01`, record `05 1F <i>`)
and their responses; §6 mg/dL always on 41653-7, `display-unit:mmol/L`, > 600 / < 20 codes,
every record a patient result. A request's answer is the first good non-empty meter packet after
it; a request with no good answer is sent again (§7), so the last good answer per record counts.

Usage: python3 scripts/crosscheck/lifescan-onetouch-ultraeasy.py [fixtures-dir]
"""

import datetime as dt
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from lifescan_family import exchanges, stored_reading  # noqa: E402


def derive(trace):
    recorded = trace.recorded_s()
    serial, display, skew, count, records = None, [], None, None, {}
    for request, answer, time in exchanges(trace, skip_empty=True):
        if answer is None:
            continue
        assert answer[:1] == b"\x05" and answer[1] in (0x06, 0x0F), f"status {answer[:2].hex()}"
        body = answer[2:]
        if request[:3] == b"\x05\x0b\x02":
            serial = body.replace(b"\x00", b"").decode("ascii")
        elif request[:3] == b"\x05\x09\x02":
            display = ["display-unit:mmol/L"] if body[0] == 1 else []
        elif request[:3] == b"\x05\x20\x02":
            meter = struct.unpack("<I", body[:4])[0]
            skew = recorded + time - meter if recorded is not None else None
        elif request == b"\x05\x1f\xf5\x01":
            count = min(struct.unpack("<H", body[:2])[0], 500)
        elif request[:2] == b"\x05\x1f":
            records[struct.unpack("<H", request[2:4])[0]] = struct.unpack("<II", body[:8])
    if count is None or sorted(records) != list(range(count)):
        raise ValueError(f"count {count}, records read {sorted(records)}")
    readings = []
    for i in range(count):
        seconds, mg = records[i]
        device_time = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        readings.append(stored_reading(serial, device_time, skew, mg, flags=display))
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "lifescan-onetouch-ultraeasy", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
