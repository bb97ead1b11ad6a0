#!/usr/bin/env bash
# The one test command (README: `npm test`). On a fresh Debian 12 machine it installs what the
# tests need, then runs lint, the type-check and every test, and prints a plain summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v socat >/dev/null 2>&1 || need+=(socat)
# The fixture cross-checkers (scripts/crosscheck/*.py) are plain Python 3, on purpose not our TS.
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v udevadm >/dev/null 2>&1 || need+=(udev)
# promtool validates the --metrics exposition and the example alert rules (docs/monitoring.md).
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# openssl makes the test CA and certificates of the fleet-configuration HTTPS tests.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
ldconfig -p 2>/dev/null | grep -q 'libusb-1.0.so.0' || need+=(libusb-1.0-0)
# The UI tests drive Debian's Chromium through playwright-core (which never downloads a browser).
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing Debian packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

echo "== lint"
npx eslint .
echo "== type-check"
npx tsc -b
echo "== electron security scan"
npm run build:preload --silent
node scripts/electronegativity-gate.mjs
echo "== build the UI and the CLI bundle"
npm run build:ui --silent
# The tests start `pochub` many times; the bundle spares each start tsx's transpiling.
npm run build:cli --silent
echo "== tests"
report=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
# A test file that fails before its tests run (an import or a setup hook) fails no test of its
# own, so the summary counts failed files too; a report that cannot be read is said, not hidden.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const files = r.testResults ?? [];
  const failedFiles = files.filter((f) => f.status === "failed").length;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : "") + `; files: ${files.length - failedFiles} passed, ${failedFiles} failed`);
' "$report" || { echo "tests: no summary (the test report could not be read)"; [ "$status" -ne 0 ] || status=1; }
rm -f "$report"
exit $status
