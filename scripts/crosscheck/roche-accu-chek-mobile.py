"""Independent cross-check of the Accu-Chek Mobile report fixtures.

Written from drivers/devices/roche-accu-chek-mobile/PROTOCOL.md §2 alone, not from the driver's
code: the `<` events joined are the report file (UTF-8, CRLF, `;`); line 2 gives the serial,
line 3 the headers (trimmed); rows with an empty Result are skipped; the value keeps its unit and
printed decimals; marker columns set flags; no meter clock.

Usage: python3 scripts/crosscheck/roche-accu-chek-mobile.py [fixtures-dir]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

CODES = {"mmol/l": ("14743-9", "mmol/L"), "mg/dl": ("41653-7", "mg/dL")}
MARKS = [("Before meal", "meal:before"), ("After meal", "meal:after"), ("Temperature warning", "temperature-warning"),
         ("Out of target range", "out-of-target-range"), ("Other", "comment:other"), ("Control test", "control-solution")]


def derive(trace):
    text = b"".join(data for _, direction, data in trace.events if direction == "<").decode("utf-8")
    lines = text.split("\r\n")[:-1]
    serial = lines[1].split(";")[0].strip()
    header = [h.strip() for h in lines[2].split(";")]
    readings = []
    for line in lines[3:]:
        row = dict(zip(header, (f.strip() for f in line.split(";"))))
        if row["Result"] == "":
            continue
        d, mo, y = row["Date"].split(".")
        device_time = f"{y}-{mo}-{d}T{row['Time']}:00"
        code, unit = CODES[row["Unit"].lower()]
        value = float(row["Result"].replace(",", "."))
        obs = common.quantity(code, int(value) if value.is_integer() and "." not in row["Result"] else value, unit)
        flags = [flag for column, flag in MARKS if row[column] != ""]
        effective, clock, _ = common.stored_clock(device_time, None)
        readings.append({"kind": "control" if row["Control test"] else "patient", "serial": serial, "deviceTime": device_time,
                         "effectiveTime": effective, "clock": clock, "observations": [obs], "flags": flags})
    return readings


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "drivers", "devices", "roche-accu-chek-mobile", "fixtures")
    common.main(derive, sys.argv[1] if len(sys.argv) > 1 else default)
