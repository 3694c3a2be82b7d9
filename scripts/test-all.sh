#!/usr/bin/env bash
# Every check, in the order a reviewer would want them to fail: types, lint, unit and
# store suites (SQLite and PostgreSQL), the packed backend plugin, the real app in Chromium,
# the reliability suite's quick run, and the benchmarks' smoke run (goals reported, not
# enforced). Each step runs even if an earlier one failed; the last line sums them up.
set -uo pipefail
cd "$(dirname "$0")/.."

results=.test-results
rm -rf "$results" && mkdir -p "$results"
failed_steps=()

step() {
  local name=$1
  shift
  echo
  echo "==> $name: $*"
  if "$@"; then
    echo "<== $name: ok"
  else
    echo "<== $name: FAILED"
    failed_steps+=("$name")
  fi
}

step typecheck yarn tsc
step lint yarn backstage-cli repo lint
step jest yarn backstage-cli repo test --ci --json --outputFile="$PWD/$results/jest.json"
step pack bash scripts/check-pack.sh
step e2e env PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/$results/e2e.json" \
  yarn playwright test -c test/e2e --reporter=list,json
# quick subsets: the full runs (yarn test:reliability, yarn bench) are documented in their READMEs
step reliability env POD_WATCH_RELIABILITY_REPORT="$PWD/$results/reliability.json" \
  yarn test:reliability --quick
step bench yarn bench --quick

node scripts/summarise-tests.js "$results" "${failed_steps[@]}"
