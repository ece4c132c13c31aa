#!/usr/bin/env bash
# The main job: set everything up, then open JupyterLab on examples/ with the tslab
# kernel and the extension. Extra arguments go to `jupyter lab`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
extra=()
[ "$(id -u)" = 0 ] && extra+=(--allow-root)
exec .venv/bin/jupyter lab --notebook-dir=examples "${extra[@]}" "$@"
