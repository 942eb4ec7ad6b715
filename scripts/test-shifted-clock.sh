#!/usr/bin/env bash
# Runs the vitest suite on PGlite with the process clock moved ahead (Debian's faketime), once per
# shift given (default +45 days and +400 days), and fails if any run fails. The suite must pass
# whatever the date is: see docs/testing.md. PGlite runs inside the test process, so the database
# reads the same moved clock; a PostgreSQL server would not, which is why TEST_DATABASE_URL is unset.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null; then
  echo "faketime is missing: apt-get install -y faketime" >&2
  exit 1
fi

shifts=("$@")
[ ${#shifts[@]} -gt 0 ] || shifts=(+45d +400d)

for shift in "${shifts[@]}"; do
  printf '\n[clock] vitest on PGlite with the clock moved %s (%s)\n' "$shift" "$(faketime -f "$shift" date -u +%F)"
  # Monotonic time stays real: timers, timeouts and latencies keep working. The webhook fuzz
  # suite has nothing to do with dates: it runs with fewer bodies here (1,000 per topic in npm test).
  env -u TEST_DATABASE_URL FAKETIME_DONT_FAKE_MONOTONIC=1 FUZZ_BODIES="${FUZZ_BODIES:-100}" faketime -f "$shift" npx vitest run
done
