/** The one backend rule of the page and the worker. */
import { backendOrder, switchBackend, type BackendEngine } from '../../src/lab/backend';

describe('backendOrder', () => {
  test('auto starts at WebGL only with a hardware GPU', () => {
    expect(backendOrder('auto', true)).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendOrder('auto', false)).toEqual(['wasm', 'cpu']);
  });

  test("the user's choice comes first, then wasm and cpu, each once", () => {
    expect(backendOrder('webgl', false)).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendOrder('wasm', true)).toEqual(['wasm', 'cpu']);
    expect(backendOrder('cpu', true)).toEqual(['cpu', 'wasm']);
  });
});

describe('switchBackend', () => {
  /** A tfjs stand-in whose backends start (true), refuse (false) or throw. */
  function engine(starts: Record<string, boolean | 'throws'>): BackendEngine & { tried: string[] } {
    let current = 'cpu';
    const tried: string[] = [];
    return {
      tried,
      setBackend(name) {
        tried.push(name);
        if (starts[name] === 'throws') {
          return Promise.reject(new Error(`${name} failed`));
        }
        if (starts[name]) {
          current = name;
        }
        return Promise.resolve(starts[name] === true);
      },
      getBackend: () => current
    };
  }

  test('stops at the first backend that starts', async () => {
    const tf = engine({ webgl: true, wasm: true });
    await expect(switchBackend(tf, ['webgl', 'wasm', 'cpu'])).resolves.toBe('webgl');
    expect(tf.tried).toEqual(['webgl']);
  });

  test('skips backends that refuse or throw', async () => {
    const tf = engine({ webgl: 'throws', wasm: false, cpu: true });
    await expect(switchBackend(tf, ['webgl', 'wasm', 'cpu'])).resolves.toBe('cpu');
    expect(tf.tried).toEqual(['webgl', 'wasm', 'cpu']);
  });
});
