"""Independent cross-check of the Welch Allyn SureTemp Plus module fixtures.

Written from drivers/devices/welch-allyn-suretemp-plus/PROTOCOL.md (§2 packets and checksum,
§4 the temperature record, §5 what is a new result, §6 what a final temperature becomes), not
from the driver's code. Each host poll in the trace is paired with the device bytes after it;
a reply is the first packet in those bytes whose bytes sum to 0 mod 256. A reading is stamped
with the trace time of its reply (whole seconds, workstation clock).

Usage: python3 scripts/crosscheck/welch-allyn-suretemp-plus.py [fixtures-dir]
"""

import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

TEMP = "8310-5"
SNOMED = "http://snomed.info/sct"
ORAL, AXILLA, RECTUM = "74262004", "422543003", "34402009"
SITES = {0: ORAL, 1: RECTUM, 2: AXILLA, 4: AXILLA}  # algorithm -> SNOMED body structure (§6)
FINAL = (6, 7)
FINISHED = range(6, 12)  # final, final position, over/under temp (§4)


def first_packet(data):
    """The first whole packet in `data` whose bytes sum to 0, as (command, type, payload), or None."""
    for i in range(len(data) - 8):
        if data[i:i + 3] != b"\x03\x02\x10":
            continue
        size = data[i + 6] | (data[i + 7] << 8)
        end = i + 8 + size + 1
        if size > 64 or end > len(data):
            continue
        packet = data[i:end]
        if sum(packet) % 256 == 0:
            return (packet[3] << 8) | packet[4], packet[5], packet[8:-1]
    return None


def record(payload):
    """The fields of §4 both layouts share, or None for another size."""
    if len(payload) not in (19, 33):
        return None
    final_k = struct.unpack_from("<f", payload, 0)[0]
    method, algorithm, state = struct.unpack_from("<bbb", payload, 12)
    return {"final": final_k, "algorithm": algorithm, "state": state}


def celsius(kelvin):
    """Kelvin to °C, one decimal (§6); round half away from zero like the display."""
    value = (kelvin - 273.15) * 10
    return math.floor(value + 0.5) / 10


def derive(trace):
    start = trace.recorded_s()
    replies, polls = [], 0
    current = None
    for t, direction, data in trace.events:
        if direction == ">":
            polls += 1
            if current is not None:
                replies.append(current)
            current = [t, b""]
        elif current is not None:
            current[0] = t
            current[1] += data
    if current is not None:
        replies.append(current)
    out, last = [], None
    for t, data in replies:
        packet = first_packet(data)
        if packet is None:
            continue  # silence or a damaged reply: the baseline stays (§5)
        command, kind, payload = packet
        r = record(payload) if command == 0x941C and kind == 2 else None
        if r is None:
            continue
        before, last = last, r
        if before is None:
            continue  # the first record is the baseline (§5)
        same = before["state"] in FINISHED and before["final"] == r["final"] and before["algorithm"] == r["algorithm"]
        if same or r["state"] not in FINAL or r["algorithm"] == 3:
            continue
        c = celsius(r["final"])
        if not 20 <= r["final"] - 273.15 <= 50:
            continue
        obs = {"code": TEMP, "value": {"kind": "quantity", "value": c, "unit": "Cel", "decimals": 1}}
        if r["algorithm"] in SITES:
            obs["bodySite"] = {"system": SNOMED, "code": SITES[r["algorithm"]]}
        out.append({"effectiveTime": common.iso_offset(math.floor(start + t)), "observations": [obs]})
    return out


def facts(r):
    def obs(o):
        fact = {"code": o.get("code"), "value": o.get("value")}
        if "bodySite" in o:
            fact["bodySite"] = {"system": o["bodySite"].get("system"), "code": o["bodySite"].get("code")}
        return fact
    return {"effectiveTime": r["effectiveTime"], "observations": [obs(o) for o in r["observations"]]}


def main(fixtures_dir):
    common.main_with_facts(derive, lambda r, _keys: facts(r), fixtures_dir)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "drivers", "devices", "welch-allyn-suretemp-plus", "fixtures"))
