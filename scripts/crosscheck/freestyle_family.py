"""What the Abbott FreeStyle cross-checkers share, written from the PROTOCOL.md files of their device
folders, not from the drivers' code.

Serial meters (Lite `$mem`, Optium `$colq` / `$xmem`): a command's reply is every byte up to the
next command; record times are `Mon DD YYYY HH:MM`; the status byte's bit 0 is a control-solution
result and bit 1 lost time; a glucose value `HI ` / `LO ` is >500 / <20 mg/dL; readings are given
oldest first. HID meters (InsuLinx, Neo, Libre): `60` text reports, a reply ends in `CMD OK` or
`CMD Fail!` behind a `CKSM:` 32-bit byte sum; a multi-record message ends in its count and an inner
sum; the meter clock from `$date?` (MM,DD,YY) and `$time?` (HH,MM).
"""

import datetime as dt
import re

import common

GLUCOSE = "41653-7"
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def serial_replies(trace, command):
    """[time of the first reply byte, reply bytes] for every `command` the host sent (serial meters)."""
    out, current = [], None
    for time, direction, data in trace.events:
        if direction == ">":
            current = [time, b""] if data.strip() == command else None
            if current:
                out.append(current)
        elif current is not None:
            if not current[1]:
                current[0] = time
            current[1] += data
    return out


def local(month, day, year, hour, minute, second=0):
    """A record or clock time with a month name as `YYYY-MM-DDTHH:MM:SS`."""
    return dt.datetime(int(year), MONTHS.index(month[:3].lower()) + 1, int(day), int(hour), int(minute), int(second)).strftime("%Y-%m-%dT%H:%M:%S")


def status_flags(status):
    """Kind and flags of a serial record's status byte: bit 0 control solution, bit 1 lost time."""
    kind, flags = ("control", ["control-solution"]) if status & 1 else ("patient", [])
    if status & 2:
        flags.append("meter-clock-lost")
    return kind, flags


def glucose(value):
    """The observation and range flags of a glucose value as printed: HI (>500), LO (<20) or mg/dL."""
    if value.strip() == "HI":
        return common.quantity(GLUCOSE, 500, "mg/dL", ">", "HH"), ["out-of-range:high"]
    if value.strip() == "LO":
        return common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL"), ["out-of-range:low"]
    return common.quantity(GLUCOSE, int(value), "mg/dL"), []


def oldest_first(readings):
    """Readings sorted by device time (then record line, kept in `_line`), which is then dropped."""
    readings.sort(key=lambda r: (r["deviceTime"], r["_line"]))
    for r in readings:
        del r["_line"]
    return readings


def hid_replies(trace):
    """(command text, time of the reply's last report, reply text) per `60` host command (HID meters)."""
    out = []
    for time, direction, data in trace.events:
        kind, length = data[0], data[1] if len(data) > 1 else 0
        if direction == ">":
            if kind == 0x60:
                out.append([data[2:2 + length].decode("latin-1"), None, ""])
        elif kind == 0x60 and out and not out[-1][2].endswith(("CMD OK\r\n", "CMD Fail!\r\n")):
            out[-1][2] += data[2:2 + length].decode("latin-1")
            out[-1][1] = time
    return out


def message(text):
    """The message of a reply whose `CKSM` holds and that says `CMD OK`, else None."""
    m = re.fullmatch(r"(.*)CKSM:([0-9A-F]{8})\r\nCMD OK\r\n", text, re.S)
    if not m or sum(m.group(1).encode("latin-1")) != int(m.group(2), 16):
        return None
    return m.group(1)


def records(msg):
    """Record lines of a multi-record message whose inner sum and count hold, else None."""
    if msg == "Log Empty\r\n":
        return []
    m = re.fullmatch(r"((?:.*\r\n)+?)(\d+),([0-9A-F]{8})\r\n", msg)
    if not m or sum(m.group(1).encode("latin-1")) != int(m.group(3), 16):
        return None
    lines = m.group(1).split("\r\n")[:-1]
    return lines if len(lines) == int(m.group(2)) else None


def hid_skew(recorded, date, clock_time, clock_at):
    """Workstation minus meter clock in seconds from the `$date?` and `$time?` answers, or None."""
    if recorded is None or not date or not clock_time:
        return None
    meter = common.local_to_epoch(f"20{date[2]:02d}-{date[0]:02d}-{date[1]:02d}T{clock_time[0]:02d}:{clock_time[1]:02d}:00")
    return recorded + clock_at - meter
