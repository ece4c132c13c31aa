/** Keras 3 layer configs translated for tfjs-layers, and the configs refused. */
import * as fs from 'fs';
import * as path from 'path';
import type { JsonObject } from '../../src/core/json';
import { newerKerasNote, toTfjsTopology } from '../../src/core/kerasConfig';

const policy = (name: string) => ({
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name },
  registered_name: null
});

/** A Keras 3 Sequential model of one layer after its input. */
function sequential(layer: JsonObject): JsonObject {
  return {
    keras_version: '3.15.1',
    model_config: {
      class_name: 'Sequential',
      config: {
        name: 'm',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 10, 4], name: 'in' } },
          layer
        ]
      }
    }
  };
}

/** A functional model's input layer, as Keras 3 writes it. */
const kerasInput = (name: string, shape: (number | null)[]) => ({
  class_name: 'InputLayer',
  name,
  config: { batch_shape: shape, name },
  inbound_nodes: []
});

const layerOf = (topology: JsonObject) =>
  ((topology.config as JsonObject).layers as JsonObject[])[1];

describe('toTfjsTopology', () => {
  test('tfjs and Keras 2 topologies come back as they are', () => {
    for (const model of ['dna', 'text']) {
      const json = JSON.parse(
        fs.readFileSync(
          path.join(__dirname, '..', '..', 'examples', 'models', model, 'model.json'),
          'utf8'
        )
      ) as { modelTopology: JsonObject };
      expect(toTfjsTopology(json.modelTopology, 'm')).toEqual(json.modelTopology);
    }
  });

  test('input shapes, dtype policies, initializers, regularizers and activations', () => {
    const out = toTfjsTopology(
      sequential({
        module: 'keras.layers',
        class_name: 'Conv1D',
        registered_name: null,
        config: {
          name: 'c',
          dtype: policy('mixed_float16'),
          filters: 2,
          kernel_size: [3],
          activation: 'silu',
          kernel_initializer: { module: 'keras.initializers', class_name: 'STFT', config: {} },
          bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
          kernel_regularizer: {
            module: 'keras.regularizers',
            class_name: 'L2',
            config: { l2: 0.01 }
          },
          bias_regularizer: { class_name: 'OrthogonalRegularizer', config: { factor: 0.1 } },
          kernel_constraint: { class_name: 'NonNeg', config: {} },
          bias_constraint: { class_name: 'Unknown', config: {} }
        },
        build_config: { input_shape: [null, 10, 4] }
      }),
      'm'
    );
    const input = ((out.config as JsonObject).layers as JsonObject[])[0].config as JsonObject;
    expect(input.batch_input_shape).toEqual([null, 10, 4]);
    expect(input.batch_shape).toBeUndefined();
    expect(layerOf(out)).toEqual({
      class_name: 'Conv1D',
      config: {
        name: 'c',
        dtype: 'float32',
        filters: 2,
        kernel_size: [3],
        activation: 'swish',
        kernel_initializer: { class_name: 'Zeros', config: {} },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } },
        bias_regularizer: null,
        kernel_constraint: { class_name: 'NonNeg', config: {} },
        bias_constraint: null
      }
    });
    // Marked as translated, so that it is not translated twice.
    expect(out.keras_version).toBe('tfjs-layers, from Keras 3.15.1');
    expect(toTfjsTopology(out, 'm')).toEqual(out);
  });

  test("Keras 3 inbound nodes, single inputs and a nested model's node index", () => {
    const tensor = (name: string) => ({
      class_name: '__keras_tensor__',
      config: { shape: [null, 10, 4], dtype: 'float32', keras_history: [name, 0, 0] }
    });
    const out = toTfjsTopology(
      {
        class_name: 'Functional',
        config: {
          name: 'f',
          layers: [
            kerasInput('in', [null, 10, 4]),
            {
              class_name: 'Sequential',
              name: 'block',
              config: {
                name: 'block',
                layers: [
                  { class_name: 'InputLayer', config: { batch_shape: [null, 10, 4], name: 'i2' } }
                ]
              },
              inbound_nodes: [{ args: [tensor('in')], kwargs: { mask: null, training: false } }]
            },
            {
              class_name: 'Add',
              name: 'sum',
              config: { name: 'sum' },
              inbound_nodes: [{ args: [[tensor('block'), tensor('in')]], kwargs: {} }]
            }
          ],
          input_layers: ['in', 0, 0],
          output_layers: ['sum', 0, 0]
        }
      },
      'f'
    );
    const [, block, sum] = (out.config as JsonObject).layers as JsonObject[];
    expect(block.inbound_nodes).toEqual([[['in', 0, 0, { training: false }]]]);
    // The nested model's first call is its node 1 in tfjs: node 0 is its own input's.
    expect(sum.inbound_nodes).toEqual([
      [
        ['block', 1, 0, {}],
        ['in', 0, 0, {}]
      ]
    ]);
    expect((out.config as JsonObject).input_layers).toEqual([['in', 0, 0]]);
    expect((out.config as JsonObject).output_layers).toEqual([['sum', 0, 0]]);
  });

  test("a model's outputs: a nested Sequential counts its own node in tfjs, a functional one already does", () => {
    const nested = (cls: string, name: string) => ({
      class_name: cls,
      name,
      config: {
        name,
        layers: [
          {
            class_name: 'InputLayer',
            name: `${name}_in`,
            config: { batch_shape: [null, 4], name: `${name}_in` }
          }
        ]
      },
      inbound_nodes: [
        {
          args: [{ class_name: '__keras_tensor__', config: { keras_history: ['in', 0, 0] } }],
          kwargs: {}
        }
      ]
    });
    const out = toTfjsTopology(
      {
        keras_version: '3.15.1',
        class_name: 'Functional',
        config: {
          name: 'f',
          layers: [
            kerasInput('in', [null, 4]),
            nested('Sequential', 'seq'),
            nested('Functional', 'fun')
          ],
          input_layers: { x: ['in', 0, 0] },
          // As Keras 3 writes them: a functional model's own node counted, a Sequential's not.
          output_layers: [
            ['seq', 0, 0],
            ['fun', 1, 0]
          ]
        }
      },
      'f'
    );
    expect(toTfjsTopology(out, 'f')).toEqual(out); // no offset added twice
    const config = out.config as JsonObject;
    expect(config.output_layers).toEqual([
      ['seq', 1, 0],
      ['fun', 1, 0]
    ]);
    expect(config.input_layers).toEqual([['in', 0, 0]]);
    const layers = config.layers as JsonObject[];
    expect(layers[1].inbound_nodes).toEqual([[['in', 0, 0, {}]]]);
    // Without Keras 3's mark, node indices are Keras 2's (tfjs') already.
    const keras2 = toTfjsTopology(
      {
        keras_version: '2.19.0',
        class_name: 'Functional',
        config: {
          name: 'f',
          layers: [],
          input_layers: [['in', 0, 0]],
          output_layers: [['seq', 1, 0]]
        }
      },
      'f'
    );
    expect((keras2.config as JsonObject).output_layers).toEqual([['seq', 1, 0]]);
  });

  test('a layer called with a tensor by name is refused: tfjs would drop it', () => {
    const state = { class_name: '__keras_tensor__', config: { keras_history: ['h', 0, 0] } };
    const topology = {
      keras_version: '3.15.1',
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          kerasInput('in', [null, 10, 4]),
          {
            class_name: 'LSTM',
            name: 'rnn',
            config: { name: 'rnn', units: 2 },
            inbound_nodes: [
              {
                args: [{ ...state, config: { keras_history: ['in', 0, 0] } }],
                kwargs: { initial_state: [state, state] }
              }
            ]
          }
        ],
        input_layers: ['in', 0, 0],
        output_layers: ['rnn', 0, 0]
      }
    };
    expect(() => toTfjsTopology(topology, 'f.keras')).toThrow(
      /f\.keras: layer "rnn" is called with a tensor as "initial_state", which TensorFlow\.js cannot rebuild\./
    );
  });

  test('a damaged config says so instead of failing inside the translation', () => {
    expect(() =>
      toTfjsTopology(sequential({ class_name: 'Conv1D' } as JsonObject), 'x.keras')
    ).toThrow(
      /x\.keras: a layer entry is not \{"class_name", "config"\} .*; the file is damaged\./
    );
    expect(() =>
      toTfjsTopology(
        { class_name: 'Functional', config: { name: 'f', layers: [], output_layers: 'dense' } },
        'x.keras'
      )
    ).toThrow(
      'x.keras: the model\'s "output_layers" are not [name, node, tensor] lists; the file is damaged.'
    );
  });

  test("Keras 3's hard_sigmoid and a GRU with reset_after are refused; Keras 2's hard_sigmoid is tfjs'", () => {
    const lstm = {
      class_name: 'LSTM',
      config: { name: 'l', units: 3, recurrent_activation: 'hard_sigmoid' }
    };
    expect(() => toTfjsTopology(sequential(lstm), 'm')).toThrow(
      /Layer "l" \(LSTM\) uses recurrent_activation hard_sigmoid \(Keras 3's is x \/ 6 \+ 0\.5, clipped\)/
    );
    expect(
      layerOf(toTfjsTopology({ ...sequential(lstm), keras_version: '2.19.0' }, 'm')).config
    ).toEqual(lstm.config);
    expect(() =>
      toTfjsTopology(
        sequential({ class_name: 'GRU', config: { name: 'g', units: 3, reset_after: true } }),
        'm'
      )
    ).toThrow(
      /Layer "g" \(GRU\) uses reset_after: true \(Keras' default\).*Train the GRU with reset_after=False/
    );
  });

  test('ReLU, LeakyReLU and ActivityRegularization in the form tfjs has', () => {
    const relu = (config: JsonObject) =>
      layerOf(
        toTfjsTopology(sequential({ class_name: 'ReLU', config: { name: 'r', ...config } }), 'm')
      );
    expect(relu({ max_value: 6, negative_slope: 0, threshold: 0 })).toEqual({
      class_name: 'ReLU',
      config: { name: 'r', max_value: 6 }
    });
    expect(relu({ max_value: null, negative_slope: 0.2, threshold: 0 })).toEqual({
      class_name: 'LeakyReLU',
      config: { name: 'r', alpha: 0.2 }
    });
    expect(() => relu({ threshold: 0.5 })).toThrow(
      'Layer "r" (ReLU) uses a threshold or a slope with a maximum (threshold 0.5, negative_slope 0), which TensorFlow.js cannot compute as Keras does.'
    );
    const regularization = toTfjsTopology(
      sequential({ class_name: 'ActivityRegularization', config: { name: 'a', l1: 0.1 } }),
      'm'
    );
    expect(layerOf(regularization)).toEqual({
      class_name: 'Activation',
      config: { name: 'a', activation: 'linear' }
    });
    const leaky = toTfjsTopology(
      sequential({ class_name: 'LeakyReLU', config: { name: 'l', negative_slope: 0.3 } }),
      'm'
    );
    expect(layerOf(leaky).config).toEqual({ name: 'l', alpha: 0.3 });
  });

  test('configs tfjs would compute differently are refused, naming the layer', () => {
    const refused = (cls: string, config: JsonObject) => () =>
      toTfjsTopology(sequential({ class_name: cls, config: { name: 'x', ...config } }), 'm');
    expect(refused('Conv1D', { filters: 4, kernel_size: [3], groups: 2 })).toThrow(
      /Layer "x" \(Conv1D\) uses a grouped convolution \(groups: 2\), which TensorFlow\.js cannot compute as Keras does\. Save a model without it, or one that ends before it/
    );
    expect(refused('GlobalMaxPooling1D', { keepdims: true })).toThrow(/uses keepdims: true/);
    expect(refused('LayerNormalization', { rms_scaling: true })).toThrow(/uses RMS scaling/);
    const lstm = (name: string, units: number, backwards: boolean) => ({
      class_name: 'LSTM',
      config: { name, units, go_backwards: backwards }
    });
    expect(
      refused('Bidirectional', {
        layer: lstm('forward_l', 3, false),
        backward_layer: lstm('backward_l', 4, true)
      })
    ).toThrow(/uses a backward layer unlike its forward layer/);
    const mirrored = layerOf(
      toTfjsTopology(
        sequential({
          class_name: 'Bidirectional',
          config: {
            name: 'b',
            layer: lstm('forward_l', 3, false),
            backward_layer: lstm('backward_l', 3, true)
          }
        }),
        'm'
      )
    );
    expect(mirrored.config).toEqual({ name: 'b', layer: lstm('l', 3, false) });
    // Keras 2 writes no backward copy: a layer the user named forward_… keeps its name.
    const keras2 = layerOf(
      toTfjsTopology(
        sequential({
          class_name: 'Bidirectional',
          config: { name: 'b', layer: lstm('forward_l', 3, false) }
        }),
        'm'
      )
    );
    expect(keras2.config).toEqual({ name: 'b', layer: lstm('forward_l', 3, false) });
  });

  test('files of Keras 4 are refused; a newer Keras 3 is noted', () => {
    expect(() =>
      toTfjsTopology(
        { ...sequential({ class_name: 'Flatten', config: {} }), keras_version: '4.1.0' },
        'x.keras'
      )
    ).toThrow(/x\.keras was saved by Keras 4\.1\.0, newer than conv1d-explorer reads/);
    expect(newerKerasNote('3.16.0')).toBe(
      ' (The file is from Keras 3.16.0; the loader was tested up to 3.15.1.)'
    );
    expect(newerKerasNote('3.15.1')).toBe('');
    expect(newerKerasNote('2.20.0')).toMatch(/tested up to 2\.19\.0/);
    expect(newerKerasNote('tfjs-layers 4.22.0')).toBe('');
  });
});
