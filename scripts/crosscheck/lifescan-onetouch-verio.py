"""Independent cross-check of the OneTouch Verio (USB mass storage) fixtures.

Written from drivers/devices/lifescan-onetouch-verio/PROTOCOL.md, not from the driver's code:
§2 Bulk-Only Transport (CBW 31 bytes `USBC` tag length flags LUN CBLength CDB; CSW 13 bytes
`USBS` tag residue status), WRITE(10) `2A` / READ(10) `28` with the LBA big-endian in CDB bytes
2-5; §3 a request block written to sector 3 or 4 and the reply block read back from the same
sector; §4 the packet at the front of a block `02 LEN 00 PFX CMD… 03 CRC_lo CRC_hi`,
CRC-16/CCITT-FALSE over STX..ETX, status 06; §5 commands (QUERY `E6 02 sel` UTF-16LE, READ
PARAMETER `04`, RTC `20 02` seconds since 2000-01-01, count `27`, record `31 02 <u16>`); §6 the
16-byte record (flags bit 0 control solution, time u32 at 5, mg/dL u16 at 9, meal at 11). A
request whose reply fails its CRC or whose READ fails is sent again: the last good reply counts.

Usage: python3 scripts/crosscheck/lifescan-onetouch-verio.py [fixtures-dir]
"""

import datetime as dt
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from lifescan_family import EPOCH_2000, crc16_ccitt_false, local_time_2000 as local_time, stored_reading  # noqa: E402


def packet(block):
    """The message of the packet at the front of a block, or None."""
    if len(block) < 6 or block[0] != 0x02:
        return None
    n = block[1]
    if n < 6 or n > len(block) or block[n - 3] != 0x03:
        return None
    if crc16_ccitt_false(block[:n - 2]) != block[n - 2] | block[n - 1] << 8:
        return None
    return block[3:n - 3]


def commands(trace):
    """(tag, cdb, out data, in data, status, time the IN side began) per BOT command, in order."""
    out, inn, times = bytearray(), bytearray(), []
    for time, direction, data in trace.events:
        if direction == ">":
            out.extend(data)
        else:
            inn.extend(data)
            times += [time] * len(data)
    cmds, i = {}, 0
    order = []
    while i + 31 <= len(out):
        if out[i:i + 4] != b"USBC":
            i += 1
            continue
        tag, length, flags = struct.unpack("<IIB", out[i + 4:i + 13])
        cdb = bytes(out[i + 15:i + 15 + out[i + 14]])
        i += 31
        data = b""
        if not flags & 0x80 and length:
            data = bytes(out[i:i + length])
            i += length
        cmds[tag] = [cdb, data, b"", None, length if flags & 0x80 else 0, None]
        order.append(tag)
    j = 0
    for tag in order:
        length = cmds[tag][4]
        # the CSW follows the data phase; a failed command may move no data at all
        for k in (length, 0):
            csw = inn[j + k:j + k + 13]
            if len(csw) == 13 and csw[:4] == b"USBS" and struct.unpack("<I", csw[4:8])[0] == tag:
                cmds[tag][2], cmds[tag][3], cmds[tag][5] = bytes(inn[j:j + k]), csw[12], times[j]
                j += k + 13
                break
    return [(tag, *cmds[tag][:4], cmds[tag][5]) for tag in order]


def exchanges(trace):
    """(request message, reply message, reply time) per register round trip whose reply block is good."""
    pending, out = {}, []
    for _, cdb, data, reply, status, time in commands(trace):
        if not cdb or status != 0:
            continue
        lba = struct.unpack(">I", cdb[2:6])[0] if len(cdb) >= 6 else None
        if cdb[0] == 0x2A:
            pending[lba] = packet(data)
        elif cdb[0] == 0x28 and pending.get(lba) is not None:
            msg = packet(reply)
            if msg is not None:
                out.append((pending[lba], msg, time))
    return out


def utf16(body):
    return body.decode("utf-16-le", "replace").split("\x00")[0].strip()


def derive(trace):
    recorded = trace.recorded_s()
    serial, display, skew, count, records = None, [], None, None, {}
    for request, reply, time in exchanges(trace):
        assert reply[1] == 0x06, f"status {reply[1]:02x}"
        body, command = reply[2:], request[1:]
        if command == b"\xe6\x02\x00":
            serial = utf16(body)
        elif command[:1] == b"\x04":
            display = ["display-unit:mmol/L"] if body[0] == 1 else []
        elif command == b"\x20\x02":
            meter = (EPOCH_2000 + dt.timedelta(seconds=struct.unpack("<I", body[:4])[0])).timestamp()
            skew = recorded + time - meter if recorded is not None else None
        elif command == b"\x27\x00":
            count = struct.unpack("<H", body[:2])[0]
        elif command[:2] == b"\x31\x02":
            index = struct.unpack("<H", command[2:4])[0]
            records[index] = (body[2], struct.unpack("<I", body[5:9])[0], struct.unpack("<H", body[9:11])[0], body[11])
    if count is None or sorted(records) != list(range(count)):
        raise ValueError(f"count {count}, records read {sorted(records)}")
    readings = []
    for i in range(count):
        flags_byte, seconds, mg, meal = records[i]
        device_time = local_time(seconds)
        control = flags_byte & 1 == 1
        flags = (["control-solution"] if control else []) + {1: ["meal:before"], 2: ["meal:after"]}.get(meal, [])
        readings.append(stored_reading(serial, device_time, skew, mg, control=control, flags=flags + display))
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "lifescan-onetouch-verio", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
