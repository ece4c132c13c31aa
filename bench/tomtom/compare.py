"""memelite's Tomtom on the inputs bench/tomtom/compare.ts wrote, for the peer comparison.

    /tmp/meme-venv/bin/python bench/tomtom/compare.py <inputs.json> <out.json>

inputs.json: {"queries": [{"name", "pwm"}], "targets": [...]}, each pwm [position][A, C, G, T].
memelite takes each motif as a numpy array [4, length] and uses the -Euclidean distance and a
minimum overlap of 1; n_target_bins=None turns off its hashing of similar target columns, so
its only approximation left is its 1000-bin median. Writes p_values, scores, offsets, overlaps,
strands ([nQ][nT] each) and the seconds of the call (after a warm-up call that compiles numba).
"""

import json
import sys
import time

import numpy
from memelite import tomtom


def matrices(motifs):
    return [numpy.array(m["pwm"], dtype="float64").T.copy() for m in motifs]


def main():
    with open(sys.argv[1]) as f:
        inputs = json.load(f)
    queries = matrices(inputs["queries"])
    targets = matrices(inputs["targets"])
    tomtom(queries[:2], targets, n_target_bins=None)  # compile
    start = time.perf_counter()
    p, scores, offsets, overlaps, strands = tomtom(queries, targets, n_target_bins=None)
    seconds = time.perf_counter() - start
    out = {
        "p_values": p.tolist(),
        "scores": scores.tolist(),
        "offsets": offsets.astype(int).tolist(),
        "overlaps": overlaps.astype(int).tolist(),
        "strands": strands.astype(int).tolist(),
        "seconds": seconds,
    }
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
