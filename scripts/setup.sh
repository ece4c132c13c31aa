#!/usr/bin/env bash
# Sets up everything, idempotently: npm packages, the Python venv with JupyterLab, the
# build, the extension installed into the venv as a wheel, and the tslab kernel spec.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi
# Notebooks in examples/ (and the e2e server root) import "conv1d-explorer": resolve it
# to this checkout, as an installed package would be.
ln -sfn .. node_modules/conv1d-explorer

if [ ! -x .venv/bin/jupyter ] || [ requirements-dev.txt -nt .venv/.installed ]; then
  echo "== Python venv with JupyterLab"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
  touch .venv/.installed
fi
export PATH="$ROOT/.venv/bin:$PATH"

echo "== build (tsc, the maximization worker bundle, the prebuilt labextension)"
# Not `npx tsc`: tslab ships its own older TypeScript, whose `tsc` may take node_modules/.bin/tsc.
node node_modules/typescript/bin/tsc -p tsconfig.json
node scripts/build-worker.mjs
jupyter labextension build . > .venv/labextension-build.log 2>&1 || {
  cat .venv/labextension-build.log
  exit 1
}

echo "== install the extension (wheel) and the tslab kernel spec"
pip install -q --disable-pip-version-check --no-deps --no-build-isolation --force-reinstall .
python node_modules/tslab/python/install.py --tslab="$ROOT/node_modules/.bin/tslab" --sys-prefix > /dev/null
if ! jupyter labextension list 2>&1 | grep -q "conv1d-explorer.*enabled.*OK"; then
  jupyter labextension list
  echo "conv1d-explorer is not installed and enabled" >&2
  exit 1
fi
