#!/usr/bin/env bash
# `npm run bench`: the compute benchmark (bench/run.ts: Node and headless Chromium) and the
# in-JupyterLab measurements (bench/lab/: the real extension, kernel and browser).
# Arguments go to bench/run.ts (`--quick`, `--backends=wasm`, `--profile`, `--motifs`).
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

# The peer baselines (bench/baseline.py: maximization; bench/scan_baseline.py: the dataset
# scan) run in their own venv with TensorFlow for Python.
if [ ! -x .venv-tf/bin/python ] || ! .venv-tf/bin/python -c "import tensorflow" 2> /dev/null; then
  echo "Setting up .venv-tf with tensorflow-cpu for the Python baseline (once)…"
  { python3 -m venv .venv-tf && .venv-tf/bin/pip install -q tensorflow-cpu; } > .venv-tf.log 2>&1 ||
    echo "Could not install tensorflow-cpu (see .venv-tf.log): the bench runs without the Python baseline."
fi

# The peer Tomtom (memelite, for bench/tomtom/compare.ts and speed.ts) runs in its own venv.
if [ ! -x .venv-meme/bin/python ] || ! .venv-meme/bin/python -c "import memelite" 2> /dev/null; then
  echo "Setting up .venv-meme with memelite for the Tomtom comparison (once)…"
  { python3 -m venv .venv-meme && .venv-meme/bin/pip install -q memelite; } > .venv-meme.log 2>&1 ||
    echo "Could not install memelite (see .venv-meme.log): the bench runs without the Tomtom comparison."
fi

node --import tsx bench/run.ts "$@"
case " $* " in *" --profile "* | *" --backends="* | *" --motifs "* | *" --attributions "*) exit 0 ;; esac

echo
echo "In JupyterLab (the extension in a real page)"
export JUPYTERLAB_GALATA_ROOT_DIR="$ROOT/bench/results/.server-root"
rm -rf "$JUPYTERLAB_GALATA_ROOT_DIR" && mkdir -p "$JUPYTERLAB_GALATA_ROOT_DIR"
npx playwright test -c bench/lab/playwright.config.ts > bench/results/lab.log 2>&1 || {
  tail -40 bench/results/lab.log
  exit 1
}
node --import tsx bench/lab/report.ts
