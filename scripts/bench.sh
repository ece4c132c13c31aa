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

# The peer baseline (bench/baseline.py) runs in its own venv with TensorFlow for Python.
if [ ! -x .venv-tf/bin/python ] || ! .venv-tf/bin/python -c "import tensorflow" 2> /dev/null; then
  echo "Setting up .venv-tf with tensorflow-cpu for the Python baseline (once)…"
  { python3 -m venv .venv-tf && .venv-tf/bin/pip install -q tensorflow-cpu; } > .venv-tf.log 2>&1 ||
    echo "Could not install tensorflow-cpu (see .venv-tf.log): the bench runs without the Python baseline."
fi

node --import tsx bench/run.ts "$@"
case " $* " in *" --profile "* | *" --backends="*) exit 0 ;; esac

echo
echo "In JupyterLab (the extension in a real page)"
export JUPYTERLAB_GALATA_ROOT_DIR="$ROOT/bench/results/.server-root"
rm -rf "$JUPYTERLAB_GALATA_ROOT_DIR" && mkdir -p "$JUPYTERLAB_GALATA_ROOT_DIR"
npx playwright test -c bench/lab/playwright.config.ts > bench/results/lab.log 2>&1 || {
  tail -40 bench/results/lab.log
  exit 1
}
node -e '
const q = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]; };
const med = a => { const s = [...a].sort((x, y) => x - y), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const v = require("./bench/results/views.json");
console.log("First interactive view (ms from the output entering the page until drawn and a slider move painted),");
console.log("filter slider latency over 100 moves, tfjs tensors and JS heap (after GC) on the page:");
for (const r of v.results) {
  const c = r.cold.map(x => x.interactive), w = r.warm.map(x => x.interactive);
  const mb = b => (b / 1e6).toFixed(1);
  console.log(`${r.notebook.padEnd(13)} cold ${Math.round(med(c))} (${Math.round(Math.min(...c))}–${Math.round(Math.max(...c))})  warm ${Math.round(med(w))} (${Math.round(Math.min(...w))}–${Math.round(Math.max(...w))})  slider p50 ${med(r.latencies).toFixed(1)} p95 ${q(r.latencies, 0.95).toFixed(1)} ms  tensors ${r.before.tensors} → ${r.afterMoves.tensors} → ${r.afterClear.tensors} (cleared)  heap ${mb(r.before.heapBytes)} → ${mb(r.afterMoves.heapBytes)} → ${mb(r.afterClear.heapBytes)} MB`);
}
console.log("\nLongest main-thread task while maximizing:");
const r = require("./bench/results/lab.json");
for (const m of r.measurements) {
  console.log(`${m.notebook.padEnd(11)} ${m.run.padEnd(24)} ${m.seconds.toFixed(1).padStart(6)} s   longest task ${String(Math.round(m.longestTaskMs)).padStart(4)} ms   tasks over 50 ms: ${m.longTasks}`);
}
console.log("Written to bench/results/lab.json and bench/results/views.json");'
