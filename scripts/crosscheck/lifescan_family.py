"""What the LifeScan OneTouch binary-protocol cross-checkers share (UltraEasy, Verio IQ, Verio).

Written from the PROTOCOL.md files of those device folders (§3/§4 the packet, §6 the values), not
from the drivers' code: the packet `02 LEN … 03 CRC_lo CRC_hi` with CRC-16/CCITT-FALSE (poly
0x1021, init 0xFFFF) over STX..ETX, the serial-line request/answer pairing, and the glucose value
rule (mg/dL always on 41653-7; above 600 `>600` HH, below 20 `<20` LL). Each checker keeps its own
commands and record layout.
"""

import datetime as dt

import common

GLUCOSE = "41653-7"
EPOCH_2000 = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def crc16_ccitt_false(data):
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def packets(stream):
    """Good packets in a byte stream: (index of the last byte, message). Resynchronises on STX."""
    out, i = [], 0
    while i < len(stream):
        if stream[i] == 0x02 and i + 1 < len(stream):
            n = stream[i + 1]
            p = stream[i:i + n]
            if n >= 6 and len(p) == n and p[n - 3] == 0x03 and crc16_ccitt_false(p[:n - 2]) == p[n - 2] | p[n - 1] << 8:
                out.append((i + n - 1, p[3:n - 3]))
                i += n
                continue
        i += 1
    return out


def exchanges(trace, skip_empty=False):
    """(request message, answer message or None, answer time) per host request, in order: the
    answer is the first good meter packet before the next request. `skip_empty` passes over
    empty messages on both sides (the UltraEasy's link-control packets)."""
    host, meter, times = [], bytearray(), []
    for time, direction, data in trace.events:
        if direction == ">":
            for _, msg in packets(data):
                if msg or not skip_empty:
                    host.append((len(meter), msg))
        else:
            meter += data
            times += [time] * len(data)
    answers = [(end, msg) for end, msg in packets(bytes(meter)) if msg or not skip_empty]
    out = []
    for k, (start, msg) in enumerate(host):
        stop = host[k + 1][0] if k + 1 < len(host) else len(meter)
        good = [(end, m) for end, m in answers if start <= end < stop]
        out.append((msg, good[0][1] if good else None, times[good[0][0]] if good else None))
    return out


def local_time_2000(seconds):
    """A meter time in seconds since 2000-01-01 as `YYYY-MM-DDTHH:MM:SS`."""
    return (EPOCH_2000 + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")


def glucose(mg):
    """The observation and range flags of a mg/dL value, as the meter's display codes say it."""
    if mg > 600:
        return common.quantity(GLUCOSE, 600, "mg/dL", ">", "HH"), ["out-of-range:high"]
    if mg < 20:
        return common.quantity(GLUCOSE, 20, "mg/dL", "<", "LL"), ["out-of-range:low"]
    return common.quantity(GLUCOSE, mg, "mg/dL"), []


def stored_reading(serial, device_time, skew, mg, control=False, flags=()):
    """The facts of one stored glucose result: the value, then `flags` (control, meal, display
    unit), then the clock flags of docs/architecture.md §8 rule 9."""
    obs, range_flags = glucose(mg)
    effective, clock, clock_flags = common.stored_clock(device_time, skew)
    return {"kind": "control" if control else "patient", "serial": serial, "deviceTime": device_time,
            "effectiveTime": effective, "clock": clock, "sequence": None, "observations": [obs],
            "flags": range_flags + list(flags) + clock_flags}
