"""The peer baseline of `npm run bench`: activation maximization written the way researchers
write it in TensorFlow for Python today (GradientTape + Keras Adam, one filter at a time, the
embedding output optimized for token models), on the same layers and weights as the
TypeScript bench (bench/run.ts writes them), with the same loss:
-objective + l2 * sum(x^2), the objective being the filter's mean activation or its
activation at one position.

Usage: baseline.py CASES.json  ->  prints one JSON object (filter-steps/s per case).
Two loops are timed: eager (as in most tutorials) and the same step in a tf.function.
"""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

LEARNING_RATE = 0.1
L2 = 0.03


def conv_layer(case):
    kernel = np.array(case["kernel"], dtype=np.float32).reshape(
        case["kernelSize"], case["channels"], case["filters"]
    )
    layer = tf.keras.layers.Conv1D(
        case["filters"],
        case["kernelSize"],
        strides=case["strides"],
        dilation_rate=case["dilation"],
        padding=case["padding"],
        activation=case["activation"],
    )
    layer.build((1, case["length"], case["channels"]))
    layer.set_weights([kernel, np.array(case["bias"], dtype=np.float32)])
    return layer


def steps_per_second(case, steps, compiled, seed):
    layer = conv_layer(case)
    filt = seed % case["filters"]
    x = tf.Variable(tf.random.normal([1, case["length"], case["channels"]], seed=seed + 1))
    optimizer = tf.keras.optimizers.Adam(learning_rate=LEARNING_RATE)
    position = case["position"]

    def step():
        with tf.GradientTape() as tape:
            activation = layer(x)[0, :, filt]
            objective = (
                activation[position] if position is not None else tf.reduce_mean(activation)
            )
            loss = -objective + L2 * tf.reduce_sum(tf.square(x))
        grads = tape.gradient(loss, [x])
        optimizer.apply_gradients(zip(grads, [x]))
        return loss

    run = tf.function(step) if compiled else step
    run()  # warm-up (and tracing, for tf.function)
    started = time.perf_counter()
    for _ in range(steps):
        loss = run()
    float(loss)  # wait for the last step
    return steps / (time.perf_counter() - started)


def main():
    cases = json.load(open(sys.argv[1]))
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    out = {"tensorflow": tf.__version__, "threads": os.cpu_count(), "cases": []}
    for case in cases:
        figures = {}
        for compiled in (False, True):
            runs = [steps_per_second(case, steps, compiled, r) for r in range(repeats)]
            figures["function" if compiled else "eager"] = {
                "median": statistics.median(runs),
                "min": min(runs),
                "max": max(runs),
                "runs": len(runs),
            }
        out["cases"].append(
            {"model": case["model"], "layer": case["layer"], "filters": case["filters"], **figures}
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
