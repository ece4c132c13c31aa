"""The peer of the bench's dataset-motif scan: Basset's rule (our filterMotifs) written the
way a Python user writes it with TensorFlow and numpy, on the same Basset-size first layer
and weights (bench/scanPeer.ts writes the case as bench/run.ts does for bench/baseline.py)
and the same seeded sequences (written by the bench's generator, one per line):

- pass 1: batched forward passes (a tf.function over the Keras model), each batch reduced
  to every filter's sum and maximum; cutoff = mean + 0.5 * (max - mean), over every output
  position of every sequence;
- pass 2: the forward passes again, np.nonzero(activations > cutoff), the sites' windows
  gathered (as base codes) and counted per filter, position and base with np.bincount: the
  position frequency matrices. (Gathering the one-hot windows and summing them per filter
  with np.add.reduceat gives the same counts, its pass 2 ~1.4x slower here.)

Usage: scan_baseline.py CASE.json SEQUENCES.txt [REPEATS]  ->  prints one JSON object: the
seconds per scan (the one-hot encoding of the text included, as in ours) after a warm-up
scan of the first sequences, and the last scan's sites, cutoffs and counts per filter.
"""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from baseline import conv_layer  # noqa: E402

THRESHOLD = 0.5
BATCH = 128
WARM_UP = 64
ALPHABET = "ACGT"


def encode(sequences, length):
    """The sequences as base codes (A C G T: 0-3, any other symbol: 4), [sequence, position],
    and as the model's float32 one-hot input, [sequence, position, base] (other symbols: zeros).
    """
    table = np.full(256, len(ALPHABET), dtype=np.int8)
    for i, base in enumerate(ALPHABET):
        table[ord(base)] = table[ord(base.lower())] = i
    text = np.frombuffer("".join(sequences).encode("ascii"), dtype=np.uint8)
    codes = table[text].reshape(len(sequences), length)
    return codes, np.eye(len(ALPHABET) + 1, len(ALPHABET), dtype=np.float32)[codes]


def compiled_model(case):
    """The layer in a Keras model, and tf.functions for its activations and their reductions."""
    if case["padding"] != "valid":
        raise ValueError("the peer scan models windows of padding 'valid' only")
    model = tf.keras.Sequential(
        [tf.keras.Input((case["length"], case["channels"])), conv_layer(case)]
    )
    spec = [tf.TensorSpec([None, case["length"], case["channels"]], tf.float32)]

    @tf.function(input_signature=spec)
    def forward(x):
        return model(x, training=False)

    @tf.function(input_signature=spec)
    def reduce(x):
        out = model(x, training=False)
        return tf.reduce_sum(out, axis=[0, 1]), tf.reduce_max(out, axis=[0, 1])

    return forward, reduce


def output_positions(case):
    span = (case["kernelSize"] - 1) * case["dilation"] + 1
    return (case["length"] - span) // case["strides"] + 1


def cutoffs(reduce, batches, case):
    """Pass 1: each filter's mean and maximum over every position, then Basset's cutoff."""
    total = np.zeros(case["filters"])
    maximum = np.full(case["filters"], -np.inf)
    count = 0
    for x in batches:
        batch_sum, batch_max = reduce(x)
        total += batch_sum.numpy()
        maximum = np.maximum(maximum, batch_max.numpy())
        count += x.shape[0] * output_positions(case)
    mean = total / count
    return mean + THRESHOLD * (maximum - mean)


def sites(forward, batches, cutoff, case):
    """Pass 2: the windows above each filter's cutoff, their bases counted per filter, position
    and base (one np.bincount per batch over the sites' windows)."""
    filters, size = case["filters"], case["kernelSize"]
    symbols = len(ALPHABET) + 1
    found = np.zeros(filters, dtype=np.int64)
    counts = np.zeros(filters * size * symbols, dtype=np.int64)
    taps = np.arange(size) * case["dilation"]
    for x, codes in batches:
        b, p, f = np.nonzero(forward(x).numpy() > cutoff)
        windows = codes[b[:, None], p[:, None] * case["strides"] + taps]  # [site, tap]
        cells = (f[:, None] * size + np.arange(size)) * symbols + windows
        counts += np.bincount(cells.ravel(), minlength=counts.size)
        found += np.bincount(f, minlength=filters)
    # The last symbol is "other than ACGT": not a base of the PFM.
    return found, counts.reshape(filters, size, symbols)[:, :, : len(ALPHABET)]


def scan(forward, reduce, sequences, case):
    """Both passes over the set, from the text; returns the figures and the seconds of each pass."""
    started = time.perf_counter()
    codes, x = encode(sequences, case["length"])
    batches = [(x[i : i + BATCH], codes[i : i + BATCH]) for i in range(0, len(x), BATCH)]
    cutoff = cutoffs(reduce, [x for x, _ in batches], case)
    between = time.perf_counter()
    found, counts = sites(forward, batches, cutoff, case)
    ended = time.perf_counter()
    return (found, cutoff, counts), (between - started, ended - between, ended - started)


def summary(values):
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
    }


def main():
    case = json.load(open(sys.argv[1]))
    sequences = open(sys.argv[2]).read().split()
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    forward, reduce = compiled_model(case)
    scan(forward, reduce, sequences[:WARM_UP], case)  # warm-up (and tracing)
    times = []
    for _ in range(repeats):
        (found, cutoff, counts), seconds = scan(forward, reduce, sequences, case)
        times.append(seconds)
    out = {
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
        "threads": os.cpu_count(),
        "batch": BATCH,
        "sequences": len(sequences),
        "length": case["length"],
        "seconds": summary([t[2] for t in times]),
        "pass1": summary([t[0] for t in times]),
        "pass2": summary([t[1] for t in times]),
        "sites": found.tolist(),
        "cutoffs": cutoff.tolist(),
        "counts": counts.tolist(),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
