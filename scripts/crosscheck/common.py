"""Shared helpers of the fixture cross-checkers (docs/trace-format.md §1, §2).

The cross-checkers re-derive each fixture's readings from the trace bytes and the protocol notes
(drivers/devices/<id>/PROTOCOL.md) alone, without the driver's TypeScript, and compare the facts
that matter clinically with the committed .expected.ndjson. This module holds only what every
checker needs: the trace parser, the clock rule of docs/architecture.md §8 rule 9 and the
comparison. Plain Python 3 standard library, so it runs wherever python3 does.
"""

import datetime as _dt
import json
import os
import sys

SKEW_THRESHOLD_S = 5 * 60


class Trace:
    """A parsed trace: header fields and (time, direction, bytes) events."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[: -len(".trace")]
        self.headers = {}
        self.events = []
        with open(path, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
        if not lines or lines[0].rstrip() != "# pochub-trace 1":
            raise ValueError(f"{path}: not a trace (magic line)")
        for raw in lines[1:]:
            line = raw.strip()
            if not line:
                continue
            if line.startswith("#"):
                if not self.events and ":" in line:
                    key, _, value = line[1:].strip().partition(":")
                    if key and key.replace("-", "").replace("_", "").isalnum():
                        self.headers.setdefault(key, value.strip())
                continue
            self.events.append(_parse_event(line, path))

    def recorded_s(self):
        """The `# recorded:` instant in epoch seconds, or None."""
        value = self.headers.get("recorded")
        if not value:
            return None
        return _dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _parse_event(line, path):
    parts = line.split(None, 1)
    time = 0.0
    if parts[0] not in ("<", ">"):
        time = float(parts[0])
        line = parts[1]
        parts = line.split(None, 1)
    direction, rest = parts[0], parts[1].strip()
    if rest.startswith('"'):
        text = json.loads(rest)
        data = bytes(ord(c) for c in text)
    else:
        # `??` (any byte the host writes) only occurs in host events, which the checkers read
        # for their command letters only; keep it as 0x00.
        data = bytes(0 if h == "??" else int(h, 16) for h in rest.split())
    if direction not in ("<", ">"):
        raise ValueError(f"{path}: bad event line {line!r}")
    return (time, direction, data)


def local_to_epoch(device_time):
    """A device wall-clock `YYYY-MM-DDTHH:MM:SS` read as UTC (the fixtures are for TZ=UTC)."""
    return _dt.datetime.fromisoformat(device_time).replace(tzinfo=_dt.timezone.utc).timestamp()


def iso_offset(epoch_s):
    """Epoch seconds as `YYYY-MM-DDTHH:MM:SS+00:00`."""
    return _dt.datetime.fromtimestamp(round(epoch_s), _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def stored_clock(device_time, skew_s):
    """Effective time, clock and extra flags of a stored (memory) result, docs/architecture.md §8 rule 9:
    the device time, corrected by the skew measured at the start of the download when that
    exceeds 5 minutes. `skew_s` is workstation minus meter, or None when not measured."""
    device_s = local_to_epoch(device_time)
    if skew_s is not None and abs(skew_s) > SKEW_THRESHOLD_S:
        return iso_offset(device_s + skew_s), {"source": "device-corrected", "skewSeconds": round(skew_s)}, ["clock-skew"]
    clock = {"source": "device"} if skew_s is None else {"source": "device", "skewSeconds": round(skew_s)}
    return iso_offset(device_s), clock, []


def unjudged_clock(device_time):
    """Effective time and clock of a live result replayed without a `# recorded:` time: the
    device clock cannot be judged, so the device time stands (docs/trace-format.md §3.4)."""
    return iso_offset(local_to_epoch(device_time)), {"source": "device"}


def quantity(code, value, unit, comparator=None, interpretation=None):
    """One observation fact."""
    return {"code": code, "kind": "quantity", "value": value, "unit": unit, "comparator": comparator, "interpretation": interpretation}


def facts_of_expected(reading):
    """The facts a checker compares, taken from one expected Reading JSON object."""
    observations = []
    for o in reading.get("observations", []):
        v = o["value"]
        fact = {"code": o.get("code"), "kind": v["kind"], "interpretation": o.get("interpretation")}
        if v["kind"] == "quantity":
            fact.update(value=v["value"], unit=v["unit"], comparator=v.get("comparator"))
        elif v["kind"] in ("ordinal", "coded"):
            fact.update(value=v.get("code", v.get("value")))
        else:
            fact.update(value=v.get("text", v.get("value")), label=v.get("label"))
        observations.append(fact)
    return {
        "kind": reading["kind"],
        "serial": reading.get("device", {}).get("serial"),
        "deviceTime": reading.get("deviceTime"),
        "effectiveTime": reading["effectiveTime"],
        "clock": reading.get("clock"),
        "sequence": (reading.get("context") or {}).get("sequence"),
        "context": reading.get("context"),
        "observations": observations,
        "flags": sorted(reading.get("flags", [])),
    }


def load_expected(trace_path):
    path = trace_path[: -len(".trace")] + ".expected.ndjson"
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def compare(name, derived, expected_readings, keys=None):
    """Compare derived facts with the expected file's, reading by reading, in order. `keys`
    limits the comparison to the facts this checker derives. Returns a list of messages."""
    expected = [facts_of_expected(r) for r in expected_readings]
    problems = []
    if len(derived) != len(expected):
        problems.append(f"{name}: {len(derived)} readings derived, {len(expected)} expected")
    for i, (d, e) in enumerate(zip(derived, expected)):
        d = dict(d)
        d["flags"] = sorted(d.get("flags", []))
        for key in keys or d.keys():
            dv, ev = d.get(key), e.get(key)
            if key == "observations" and dv and len(dv) == len(ev):
                for k, (dv_o, ev_o) in enumerate(zip(dv, ev)):
                    if dv_o != _pick(ev_o, dv_o):
                        problems.append(f"{name} reading {i + 1} observation {k + 1}: derived {dv_o!r}, expected {ev_o!r}")
                continue
            if dv != ev:
                problems.append(f"{name} reading {i + 1}: {key} derived {dv!r}, expected {ev!r}")
    return problems


def _pick(expected_obs, derived_obs):
    """Keep only the observation facts the checker derived (missing keys count as None)."""
    return {k: expected_obs.get(k) for k in derived_obs}


def main(derive, fixtures_dir, keys=None):
    """Run `derive(trace) -> list of facts` on every trace of `fixtures_dir`, print one line
    per trace and exit 1 when any disagrees with its expected file."""
    names = sorted(n for n in os.listdir(fixtures_dir) if n.endswith(".trace"))
    failures = []
    agreed = 0
    for n in names:
        trace = Trace(os.path.join(fixtures_dir, n))
        derived = []
        try:
            derived = derive(trace)
            problems = compare(trace.name, derived, load_expected(trace.path), keys)
        except Exception as err:  # a checker bug or an unreadable trace: report, do not hide
            problems = [f"{trace.name}: cross-checker failed: {err!r}"]
        failures += problems
        print(f"{'ok  ' if not problems else 'FAIL'} {trace.name}: {len(derived)} readings derived")
        for p in problems:
            print("     " + p)
        if not problems:
            agreed += 1
    print(f"{agreed}/{len(names)} traces agree")
    sys.exit(1 if failures else 0)


def main_with_facts(derive, facts, fixtures_dir):
    """Like `main`, for checkers that read their own facts out of each expected reading:
    `facts(expected_reading, keys)` gives the facts under `keys` (those `derive` produced), and
    every derived key must equal its expected fact."""
    names = sorted(n for n in os.listdir(fixtures_dir) if n.endswith(".trace"))
    agreed, failed = 0, False
    for n in names:
        trace = Trace(os.path.join(fixtures_dir, n))
        problems, derived = [], []
        try:
            derived = derive(trace)
            expected_all = load_expected(trace.path)
            if len(derived) != len(expected_all):
                problems.append(f"{trace.name}: {len(derived)} readings derived, {len(expected_all)} expected")
            for i, (d, r) in enumerate(zip(derived, expected_all)):
                e = facts(r, d.keys())
                for key in d:
                    if d[key] != e.get(key):
                        problems.append(f"{trace.name} reading {i + 1}: {key} derived {json.dumps(d[key])}, expected {json.dumps(e.get(key))}")
        except Exception as err:  # a checker bug or an unreadable file: report, do not hide
            problems.append(f"{trace.name}: cross-checker failed: {err!r}")
        print(f"{'ok  ' if not problems else 'FAIL'} {trace.name}: {len(derived)} readings derived")
        for p in problems:
            print("     " + p)
        agreed += not problems
        failed = failed or bool(problems)
    print(f"{agreed}/{len(names)} traces agree")
    sys.exit(1 if failed else 0)
