"""Independent cross-check of the OneTouch Verio IQ fixtures.

Written from drivers/devices/lifescan-onetouch-verio-iq/PROTOCOL.md, not from the driver's code:
§3 packets `02 LEN 00 PFX CMD… 03 CRC_lo CRC_hi`, CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF)
over STX..ETX, the reply prefix not checked, status 06; §5 the commands (serial `0B 01 02`, unit
`09 02 02`, clock `20 02` in seconds since 2000-01-01, count `27 00`, record `21 <i>`); §6 the
record (u32 time, u16 mg/dL, control byte 01 = control solution, meal 01/02), mg/dL always on
41653-7, `display-unit:mmol/L`, > 600 / < 20 codes. Each request gets one reply; a request whose
reply is missing or fails its CRC is sent again (§7), so the last good reply per record counts.

Usage: python3 scripts/crosscheck/lifescan-onetouch-verio-iq.py [fixtures-dir]
"""

import datetime as dt
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from lifescan_family import EPOCH_2000, exchanges, local_time_2000 as local_time, stored_reading  # noqa: E402


def derive(trace):
    recorded = trace.recorded_s()
    serial, display, skew, count, records = None, [], None, None, {}
    for request, reply, time in exchanges(trace):
        if reply is None:
            continue
        assert reply[1] == 0x06, f"status {reply[1]:02x}"
        body, command = reply[2:], request[1:]
        if command == b"\x0b\x01\x02":
            serial = body.split(b"\x00")[0].decode("ascii")
        elif command == b"\x09\x02\x02":
            display = ["display-unit:mmol/L"] if body[0] == 1 else []
        elif command == b"\x20\x02":
            meter = (EPOCH_2000 + dt.timedelta(seconds=struct.unpack("<I", body[:4])[0])).timestamp()
            skew = recorded + time - meter if recorded is not None else None
        elif command == b"\x27\x00":
            count = struct.unpack("<H", body[:2])[0]
        elif command[:1] == b"\x21":
            records[struct.unpack("<H", command[1:3])[0]] = struct.unpack("<IHBB", body[:8])
    if count is None or sorted(records) != list(range(count)):
        raise ValueError(f"count {count}, records read {sorted(records)}")
    readings = []
    for i in range(count):
        seconds, mg, control, meal = records[i]
        device_time = local_time(seconds)
        flags = (["control-solution"] if control == 1 else []) + {1: ["meal:before"], 2: ["meal:after"]}.get(meal, [])
        readings.append(stored_reading(serial, device_time, skew, mg, control=control == 1, flags=flags + display))
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "lifescan-onetouch-verio-iq", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
