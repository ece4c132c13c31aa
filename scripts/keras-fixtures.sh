#!/usr/bin/env bash
# Regenerates tests/fixtures/keras: small models built in Keras 3 and in tf_keras (Keras 2),
# saved the ways researchers save them (tensorflowjs converter output, .h5, .keras), with
# Keras' own feature maps and outputs beside them. CI does not run this: it needs TensorFlow.
#
# The venv (.venv-keras, made once) is the converter recipe of the README's "Bring your
# model": tensorflowjs 4.22.0 pulls TensorFlow 2.19, tf_keras 2.19 and Keras 3, and its
# import fails until protobuf is pinned to 6.31.1.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${KERAS_VENV:-.venv-keras}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import tensorflowjs" 2> /dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q tensorflowjs==4.22.0
  "$VENV/bin/pip" install -q protobuf==6.31.1
fi
OUT=tests/fixtures/keras
rm -rf "$OUT"
mkdir -p "$OUT"
export TF_CPP_MIN_LOG_LEVEL=3 CUDA_VISIBLE_DEVICES=
"$VENV/bin/python" scripts/keras_fixtures.py keras3 "$OUT"
TF_USE_LEGACY_KERAS=1 "$VENV/bin/python" scripts/keras_fixtures.py keras2 "$OUT"
du -sh "$OUT"
