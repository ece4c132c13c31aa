#!/usr/bin/env bash
# Runs every test: lint (eslint + prettier), jest unit tests, and the end-to-end tests in a
# real JupyterLab + tslab kernel + headless Chromium. Sets up what it needs first.
# Ends with one line: `tests: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

bash scripts/setup.sh || { echo "set-up failed"; echo "tests: 0 passed, 1 failed"; exit 1; }

if ! command -v "${CHROMIUM:-chromium}" > /dev/null; then
  echo "== installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-dejavu-core > /dev/null
fi
export CHROMIUM="$(command -v "${CHROMIUM:-chromium}")"

passed=0
failed=0

echo "== lint"
if npm run -s lint; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "lint: FAILED"; fi

echo "== unit tests (jest)"
mkdir -p tests/e2e/test-results
npx jest --json --outputFile=tests/e2e/test-results/jest.json
read -r p f < <(node -e 'const r=require("./tests/e2e/test-results/jest.json");console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)' 2> /dev/null || echo "0 1")
passed=$((passed + p)); failed=$((failed + f))

echo "== end-to-end tests (JupyterLab + tslab + Chromium)"
export JUPYTERLAB_GALATA_ROOT_DIR="$ROOT/tests/e2e/.server-root"
rm -rf "$JUPYTERLAB_GALATA_ROOT_DIR" tests/e2e/artifacts
mkdir -p "$JUPYTERLAB_GALATA_ROOT_DIR"
npx playwright test -c tests/e2e/playwright.config.ts
read -r p f < <(node -e 'const r=require("./tests/e2e/test-results/report.json");console.log(r.stats.expected, r.stats.unexpected + r.stats.flaky + (r.errors||[]).length)' 2> /dev/null || echo "0 1")
passed=$((passed + p)); failed=$((failed + f))
echo "screenshots: tests/e2e/artifacts/"

echo "tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
