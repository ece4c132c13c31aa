"""Builds the Keras fixtures of tests/fixtures/keras (run by scripts/keras-fixtures.sh).

    python scripts/keras_fixtures.py keras3 OUT                         # Keras 3
    TF_USE_LEGACY_KERAS=1 python scripts/keras_fixtures.py keras2 OUT   # tf_keras (Keras 2)

Four models, with weights drawn from numpy (the same in both Keras versions, so the two
versions' files must give the same numbers):
- text: the seed's text model (Embedding 100 x 64, Conv1D 32 x 3, global max pool, Dense);
- dna: functional, same padding, max pooling, a dilated Conv1D, batch normalization with
  set moving statistics, dropout, a dense head;
- zoo: functional, two Conv1D branches concatenated, LeakyReLU, LayerNormalization, average
  pooling, a bidirectional LSTM, a nested Sequential block, a residual Add, ReLU(6), Flatten;
- nested: a nested functional body (batch normalization, a frozen Conv1D) and a frozen
  nested Sequential head (one layer thawed) as the model's output.
Each is saved as tensorflowjs converter output (OUT/<version>/<model>/model.json), as .h5
and as .keras (Keras 3's native format, which tf_keras 2.19 writes too).
OUT/<version>/expected.json holds the inputs and what Keras computes from them: every Conv1D layer's output (after its activation) and the model's.
"""

import json
import os
import sys

import numpy as np

VERSION = sys.argv[1]
OUT = os.path.join(sys.argv[2], VERSION)
if VERSION == "keras2":
    assert os.environ.get("TF_USE_LEGACY_KERAS") == "1", "keras2 needs TF_USE_LEGACY_KERAS=1"
    import tf_keras as keras
else:
    import keras
import tensorflowjs

layers = keras.layers


def leaky_relu(slope):
    if VERSION == "keras2":
        return layers.LeakyReLU(alpha=slope, name="leaky")
    return layers.LeakyReLU(negative_slope=slope, name="leaky")


def text_model():
    model = keras.Sequential(
        [
            keras.Input(shape=(24,), dtype="int32"),
            layers.Embedding(100, 64, name="embedding"),
            layers.Conv1D(32, 3, activation="relu", name="conv"),
            layers.GlobalMaxPooling1D(name="strongest"),
            layers.Dense(1, activation="sigmoid", name="score"),
        ],
        name="text",
    )
    return model, {"conv": model.get_layer("conv").output}


def dna_model():
    inputs = keras.Input(shape=(100, 4), name="dna")
    first = layers.Conv1D(8, 9, padding="same", activation="relu", name="motifs")(inputs)
    x = layers.BatchNormalization(name="norm")(first)
    x = layers.MaxPooling1D(2, name="pool")(x)
    x = layers.Dropout(0.2, name="drop")(x)
    second = layers.Conv1D(8, 5, dilation_rate=2, activation="relu", name="pairs")(x)
    x = layers.GlobalMaxPooling1D(name="strongest")(second)
    outputs = layers.Dense(1, activation="sigmoid", name="score")(x)
    model = keras.Model(inputs, outputs, name="dna")
    return model, {"motifs": first, "pairs": second}


def zoo_model():
    inputs = keras.Input(shape=(40, 4), name="sequence")
    a = layers.Conv1D(6, 5, padding="same", name="wide")(inputs)
    b = layers.Conv1D(6, 3, padding="same", activation="tanh", name="narrow")(inputs)
    x = layers.Concatenate(name="both")([a, b])
    x = leaky_relu(0.1)(x)
    x = layers.LayerNormalization(name="layer_norm")(x)
    x = layers.AveragePooling1D(2, name="average")(x)
    x = layers.Bidirectional(layers.LSTM(3, return_sequences=True), name="bilstm")(x)
    block = keras.Sequential(
        [
            keras.Input(shape=(20, 6)),
            layers.Conv1D(4, 3, padding="same", activation="relu", name="inner"),
            layers.SpatialDropout1D(0.1, name="spatial_drop"),
        ],
        name="block",
    )
    block_input = x
    inner = block(block_input)
    shortcut = layers.Conv1D(4, 1, name="project")(block_input)
    x = layers.Add(name="residual")([inner, shortcut])
    x = layers.ReLU(max_value=6.0, name="relu6")(x)
    x = layers.Flatten(name="flat")(x)
    outputs = layers.Dense(3, activation="softmax", name="classes")(x)
    model = keras.Model(inputs, outputs, name="zoo")
    # The nested block's Conv1D is probed from the block's input, as the explorer sees it
    # once the block is inlined.
    probes = {
        "wide": a,
        "narrow": b,
        "project": shortcut,
        "inner": (block_input, [block.get_layer("inner")]),
    }
    return model, probes


def nested_model():
    """A functional body (batch normalization, a frozen Conv1D) and a frozen Sequential head
    as the output: the nested models' weights, node indices and output entry."""
    body_input = keras.Input(shape=(50, 4))
    scan = layers.Conv1D(6, 5, padding="same", activation="relu", name="scan")
    norm = layers.BatchNormalization(name="scan_norm")
    frozen = layers.Conv1D(6, 3, padding="same", name="frozen")
    frozen.trainable = False
    y = frozen(norm(scan(body_input)))
    y = layers.LayerNormalization(name="body_norm")(y)
    body = keras.Model(body_input, y, name="body")
    head = keras.Sequential(
        [
            keras.Input(shape=(50, 6)),
            layers.Conv1D(4, 3, activation="relu", name="head_conv"),
            layers.BatchNormalization(name="head_norm"),
            layers.GlobalMaxPooling1D(name="head_pool"),
            layers.Dense(2, name="head_out"),
        ],
        name="head",
    )
    # A frozen nested model with one layer thawed: an .h5 file lists its weights layer by
    # layer, tfjs the thawed layer's first.
    head.trainable = False
    head.get_layer("head_out").trainable = True
    inputs = keras.Input(shape=(50, 4), name="sequence")
    hidden = body(inputs)
    model = keras.Model(inputs, head(hidden), name="nested")
    probes = {
        "scan": (inputs, [scan]),
        "frozen": (inputs, [scan, norm, frozen]),
        "head_conv": (hidden, [head.get_layer("head_conv")]),
    }
    return model, probes


def set_weights(model, rng):
    """Replaces every weight with numpy draws; batch normalization gets set statistics."""
    for layer in iter_layers(model):
        weights = layer.get_weights()
        if not weights:
            continue
        name = type(layer).__name__
        if name == "BatchNormalization":
            n = weights[0].shape
            new = [
                rng.uniform(0.5, 1.5, n),  # gamma
                rng.normal(0, 0.2, n),  # beta
                rng.normal(0, 0.5, n),  # moving mean
                rng.uniform(0.3, 2.0, n),  # moving variance
            ]
        elif name == "LayerNormalization":
            n = weights[0].shape
            new = [rng.uniform(0.5, 1.5, n), rng.normal(0, 0.2, n)]
        else:
            new = [rng.normal(0, 0.3, w.shape) for w in weights]
        layer.set_weights([w.astype(np.float32) for w in new])


def iter_layers(model):
    for layer in model.layers:
        if hasattr(layer, "layers") and isinstance(layer.layers, list):
            yield from iter_layers(layer)
        else:
            yield layer


def dna_inputs(rng, n, length):
    texts = ["".join(rng.choice(list("ACGT"), length)) for _ in range(n)]
    x = np.stack([np.eye(4, dtype=np.float32)[["ACGT".index(c) for c in t]] for t in texts])
    return texts, x


def probe_values(model, probes, x):
    """Each probe's value for x: a tensor of the model's graph, or layers applied in turn to
    one (for the layers inside nested models, as the explorer sees them once inlined)."""
    values = {}
    for name, probe in probes.items():
        if isinstance(probe, tuple):
            before, chain = probe
            value = keras.Model(model.inputs, before)(x)
            for layer in chain:
                value = layer(value, training=False)
        else:
            value = keras.Model(model.inputs, probe)(x)
        values[name] = np.asarray(value).tolist()
    return values


def rounded(value):
    """Float32 values to 7 decimals: far below the tests' 1e-5, a third of the file size."""
    if isinstance(value, float):
        return round(value, 7)
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def save(model, name):
    tensorflowjs.converters.save_keras_model(model, os.path.join(OUT, name))
    model.save(os.path.join(OUT, f"{name}.h5"))
    model.save(os.path.join(OUT, f"{name}.keras"))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261201)
    expected = {"kerasVersion": keras.__version__, "models": {}}

    model, probes = text_model()
    set_weights(model, rng)
    ids = rng.integers(0, 100, (2, 24)).astype(np.int32)
    expected["models"]["text"] = {
        "input": ids.tolist(),
        "featureMaps": probe_values(model, probes, ids),
        "output": np.asarray(model(ids)).tolist(),
    }
    save(model, "text")

    model, probes = dna_model()
    set_weights(model, rng)
    texts, x = dna_inputs(rng, 2, 100)
    expected["models"]["dna"] = {
        "input": texts,
        "featureMaps": probe_values(model, probes, x),
        "output": np.asarray(model(x, training=False)).tolist(),
    }
    save(model, "dna")

    for name, build, length in [("zoo", zoo_model, 40), ("nested", nested_model, 50)]:
        model, probes = build()
        set_weights(model, rng)
        texts, x = dna_inputs(rng, 2, length)
        expected["models"][name] = {
            "input": texts,
            "featureMaps": probe_values(model, probes, x),
            "output": np.asarray(model(x, training=False)).tolist(),
        }
        save(model, name)

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(rounded(expected), f)


main()
