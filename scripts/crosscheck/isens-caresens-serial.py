"""Independent cross-check of the isens-caresens-serial fixtures (ReliOn Premier / GLUCOCARD Shine).

The same iSPc protocol as isens-caresens on a serial link: this runs the checker of
scripts/crosscheck/isens-caresens.py (written from drivers/devices/isens-caresens/PROTOCOL.md
alone) over drivers/devices/isens-caresens-serial/fixtures, whose trace events are UART bytes.

Usage: python3 scripts/crosscheck/isens-caresens-serial.py [fixtures-dir]
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

_spec = importlib.util.spec_from_file_location("isens_caresens", os.path.join(HERE, "isens-caresens.py"))
_checker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_checker)

if __name__ == "__main__":
    default = os.path.join(HERE, "..", "..", "drivers", "devices", "isens-caresens-serial", "fixtures")
    common.main(_checker.derive, sys.argv[1] if len(sys.argv) > 1 else default)
