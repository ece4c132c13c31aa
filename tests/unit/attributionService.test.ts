/**
 * The attribution worker's logic on the DNA example: it computes what `computeAttributions`
 * does in the kernel, reports progress, gives way to a newer request, says what is wrong
 * with a bad one, and frees what it allocates.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '../../src/kernel';
import { computeAttributions } from '../../src/core/attributions';
import { modelToPayload } from '../../src/core/serialize';
import { AttributionService } from '../../src/lab/worker/attributionService';
import type { FromAttributionWorker } from '../../src/lab/worker/attributionMessages';
import { serviceHost } from './helpers';

const DIR = path.join(__dirname, '..', '..', 'examples', 'models', 'dna');
const EXAMPLE = (
  JSON.parse(fs.readFileSync(path.join(DIR, 'info.json'), 'utf8')) as { example: string }
).example;

type Done = Extract<FromAttributionWorker, { type: 'attributionDone' }>;

describe('the attribution worker', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    model = await loadModel(path.join(DIR, 'model.json'));
  });
  afterAll(() => model.dispose());

  async function service() {
    const { host, messages, until } = serviceHost<FromAttributionWorker>();
    const worker = new AttributionService(host);
    worker.handle({
      type: 'init',
      role: 'attribute',
      model: await modelToPayload(model),
      sequence: { kind: 'onehot', sequence: EXAMPLE, alphabet: 'ACGT' },
      backend: 'cpu',
      wasmFiles: {}
    });
    await until(() => messages.some(m => m.type === 'ready' || m.type === 'error'));
    return { worker, messages, until };
  }

  test.each(['integratedGradients', 'ism'] as const)(
    'computes %s as the kernel does',
    async method => {
      const { worker, messages, until } = await service();
      worker.handle({ type: 'attribute', id: 1, request: { method } });
      await until(() => messages.some(m => m.type === 'attributionDone' || m.type === 'error'));
      const done = messages.find(m => m.type === 'attributionDone') as Done;
      const expected = computeAttributions(model, EXAMPLE, { method });
      expect(Array.from(done.result.scores)).toEqual(Array.from(expected.scores));
      expect(done.result.label).toBe('output 0 of "bound" (before its sigmoid)');
      expect(done.result.completeness).toEqual(expected.completeness);
      expect(done.result.mutations?.changes).toEqual(expected.mutations?.changes);
      await worker.dispose();
    }
  );

  test('reports progress every 150 ms of work, in chunks', async () => {
    const { worker, messages, until } = await service();
    // A clock that moves 100 ms at each look: one chunk per slice, a report every second slice.
    let clock = 0;
    (worker as unknown as { host: { now(): number } }).host.now = () => (clock += 100);
    worker.handle({ type: 'attribute', id: 5, request: { method: 'integratedGradients' } });
    await until(() => messages.some(m => m.type === 'attributionDone' || m.type === 'error'));
    const progress = messages.flatMap(m => (m.type === 'attributionProgress' ? [m.progress] : []));
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.done).toBeGreaterThan(0);
      expect(p.done).toBeLessThan(p.total);
    }
    expect(progress[0].total).toBe(50);
    await worker.dispose();
  });

  test('a newer request supersedes the one in flight, which never reports done', async () => {
    const { worker, messages, until } = await service();
    worker.handle({
      type: 'attribute',
      id: 1,
      request: { method: 'integratedGradients', steps: 1000 }
    });
    worker.handle({ type: 'attribute', id: 2, request: { method: 'saliency' } });
    await until(() => messages.some(m => m.type === 'attributionDone'));
    await new Promise(resolve => setTimeout(resolve, 300));
    const done = messages.filter((m): m is Done => m.type === 'attributionDone');
    expect(done.map(d => d.id)).toEqual([2]);
    expect(done[0].result.method).toBe('saliency');
    await worker.dispose();
  });

  test('a cancelled request stops between slices and frees its tensors', async () => {
    const { worker, messages } = await service();
    const before = tf.memory().numTensors;
    worker.handle({
      type: 'attribute',
      id: 3,
      request: { method: 'integratedGradients', steps: 1000 }
    });
    await new Promise(resolve => setTimeout(resolve, 100));
    worker.handle({ type: 'cancel', id: 3 });
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(messages.some(m => m.type === 'attributionDone')).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    await worker.dispose();
  });

  test('a bad request gets the core’s message, with its id', async () => {
    const { worker, messages, until } = await service();
    worker.handle({ type: 'attribute', id: 4, request: { method: 'ism', output: 3 } });
    await until(() => messages.some(m => m.type === 'error'));
    expect(messages.find(m => m.type === 'error')).toEqual({
      type: 'error',
      id: 4,
      message: expect.stringMatching(/output 3 is outside the last layer "bound", which has 1 unit/)
    });
    await worker.dispose();
  });
});
