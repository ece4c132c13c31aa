"""memelite's Tomtom on the inputs bench/tomtom/compare.ts wrote, for the peer comparison.

    .venv-meme/bin/python bench/tomtom/compare.py <inputs.json> <out.json> [repeats] [n_jobs]

inputs.json: {"queries": [{"name", "pwm"}], "targets": [...]}, each pwm [position][A, C, G, T].
memelite takes each motif as a numpy array [4, length] and uses the -Euclidean distance and a
minimum overlap of 1; n_target_bins=None turns off its hashing of similar target columns, so
its only approximation left is its 1000-bin median. Writes p_values, scores, offsets, overlaps,
strands ([nQ][nT] each), the seconds of each of `repeats` calls (default 1, after a warm-up
call that compiles numba) and their median, and the threads it ran on (`n_jobs`, default -1:
all of numba's threads, one per core), and memelite's version.
"""

import importlib.metadata
import json
import statistics
import sys
import time

import numba
import numpy
from memelite import tomtom


def matrices(motifs):
    return [numpy.array(m["pwm"], dtype="float64").T.copy() for m in motifs]


def main():
    with open(sys.argv[1]) as f:
        inputs = json.load(f)
    queries = matrices(inputs["queries"])
    targets = matrices(inputs["targets"])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    n_jobs = int(sys.argv[4]) if len(sys.argv) > 4 else -1
    threads = numba.get_num_threads() if n_jobs == -1 else n_jobs
    tomtom(queries[:2], targets, n_target_bins=None, n_jobs=n_jobs)  # compile
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        p, scores, offsets, overlaps, strands = tomtom(
            queries, targets, n_target_bins=None, n_jobs=n_jobs
        )
        runs.append(time.perf_counter() - start)
    out = {
        "p_values": p.tolist(),
        "scores": scores.tolist(),
        "offsets": offsets.astype(int).tolist(),
        "overlaps": overlaps.astype(int).tolist(),
        "strands": strands.astype(int).tolist(),
        "seconds": statistics.median(runs),
        "runs": runs,
        "threads": threads,
        "version": importlib.metadata.version("memelite"),
    }
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
