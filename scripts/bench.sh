#!/usr/bin/env bash
# `npm run bench`: the compute benchmark (bench/run.ts: Node and headless Chromium) and the
# in-JupyterLab measurements (bench/lab/: the real extension, kernel and browser).
# Arguments go to bench/run.ts (`--quick`, `--backends=wasm`, `--profile`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

bash scripts/setup.sh > .venv-setup.log 2>&1 || { cat .venv-setup.log; exit 1; }
rm -f .venv-setup.log
if ! command -v "${CHROMIUM:-chromium}" > /dev/null; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-dejavu-core > /dev/null
fi
export CHROMIUM="$(command -v "${CHROMIUM:-chromium}")"

node --import tsx bench/run.ts "$@"
case " $* " in *" --profile "* | *" --backends="*) exit 0 ;; esac

echo
echo "In JupyterLab (the extension in a real page): longest main-thread task while maximizing"
export JUPYTERLAB_GALATA_ROOT_DIR="$ROOT/bench/results/.server-root"
rm -rf "$JUPYTERLAB_GALATA_ROOT_DIR" && mkdir -p "$JUPYTERLAB_GALATA_ROOT_DIR"
npx playwright test -c bench/lab/playwright.config.ts > bench/results/lab.log 2>&1 || {
  tail -40 bench/results/lab.log
  exit 1
}
node -e '
const r = require("./bench/results/lab.json");
for (const m of r.measurements) {
  console.log(`${m.notebook.padEnd(11)} ${m.run.padEnd(24)} ${m.seconds.toFixed(1).padStart(6)} s   longest task ${String(Math.round(m.longestTaskMs)).padStart(4)} ms   tasks over 50 ms: ${m.longTasks}`);
}
console.log("Written to bench/results/lab.json");'
