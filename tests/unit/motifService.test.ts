/**
 * The scan worker's logic on the DNA example: it scans the payload's set exactly as
 * `filterMotifs` does in the kernel, matches the motifs in JASPAR with the factors' names,
 * reports progress, gives way to a newer scan, and says what is wrong with a bad request.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '../../src/kernel';
import { bestNgrams } from '../../src/core/bestNgrams';
import { filterMotifs, MotifScan } from '../../src/core/filterMotifs';
import { readSequenceSet } from '../../src/core/sequenceSet';
import { modelToPayload } from '../../src/core/serialize';
import { encodeSequenceSet } from '../../src/protocol';
import { MotifService } from '../../src/lab/worker/motifService';
import { portPair, serviceHost } from './helpers';
import type { FromScanWorker, ScanRequest, ToScanWorker } from '../../src/lab/worker/scanMessages';
import { dnaExamples } from '../../examples/train/data';

/** The whole forward pass in one worker. */
const WHOLE = { index: 0, of: 1 };

const MODEL = path.join(__dirname, '..', '..', 'examples', 'models', 'dna', 'model.json');

describe('the scan worker', () => {
  let model: tf.LayersModel;
  const sequences = dnaExamples(120, 7).map((e, i) => ({ name: `s${i}`, sequence: e.sequence }));

  beforeAll(async () => {
    model = await loadModel(MODEL);
  });
  afterAll(() => model.dispose());

  async function service(withSet = true, set = sequences) {
    const { host, messages, until } = serviceHost<FromScanWorker>();
    const worker = new MotifService(host);
    worker.handle({
      type: 'init',
      role: 'scan',
      model: await modelToPayload(model),
      sequence: { kind: 'onehot', sequence: sequences[0].sequence, alphabet: 'ACGT' },
      ...(withSet ? { sequences: encodeSequenceSet(readSequenceSet(model, set)) } : {}),
      backend: 'cpu',
      wasmFiles: {}
    });
    await until(() => messages.some(m => m.type === 'ready' || m.type === 'error'));
    return { worker, messages, until, host };
  }

  const layer = () => model.layers.find(l => l.getClassName() === 'Conv1D')!.name;
  const request = (): ScanRequest => ({ layer: layer(), threshold: 0.5, match: true, tax: null });

  test('scans the set as filterMotifs does, and names the factors of the matches', async () => {
    const { worker, messages, until } = await service();
    const before = tf.memory().numTensors;
    worker.handle({ type: 'scan', id: 1, request: request(), share: WHOLE });
    await until(() => messages.some(m => m.type === 'scanDone' || m.type === 'error'));
    const done = messages.find(m => m.type === 'scanDone') as Extract<
      FromScanWorker,
      { type: 'scanDone' }
    >;
    const expected = filterMotifs(model, sequences, { layer: layer() });
    expect(done.result.motifs.filters).toEqual(expected.filters);
    expect(Array.from(done.result.motifs.maxima)).toEqual(Array.from(expected.maxima));
    expect(done.result.database).toBe('JASPAR2026 CORE, 2633 matrices');
    const matches = done.result.matches!;
    expect(matches).toHaveLength(expected.filters.length);
    expected.filters.forEach((f, i) => {
      // Filters with too few sites have no motif and so no matches.
      expect(matches[i].length > 0).toBe(f.pfm !== null);
    });
    // A first layer: its exact best k-mers come with the scan; no tap words without an Embedding.
    expect(done.result.best).toEqual(bestNgrams(model, { layer: layer() }));
    expect(done.result.best![0][0].symbols).toHaveLength(expected.layer.kernelSize);
    expect(done.result.taps).toBeNull();
    const best = matches.flat()[0];
    expect(best.target).toMatch(/^MA\d{4}\.\d+$/);
    expect(best.factor).not.toBe(best.target);
    expect(messages.some(m => m.type === 'scanProgress' && m.progress.phase === 'match')).toBe(
      true
    );
    expect(tf.memory().numTensors).toBe(before);
    await worker.dispose();
  });

  test('a newer scan supersedes the one in flight; a tax group restricts the database', async () => {
    const { worker, messages, until } = await service();
    worker.handle({ type: 'scan', id: 1, request: request(), share: WHOLE });
    worker.handle({
      type: 'scan',
      id: 2,
      request: { ...request(), tax: 'vertebrates' },
      share: WHOLE
    });
    await until(() => messages.some(m => m.type === 'scanDone'));
    const done = messages.filter(m => m.type === 'scanDone');
    expect(done.map(m => m.id)).toEqual([2]);
    const result = (done[0] as Extract<FromScanWorker, { type: 'scanDone' }>).result;
    expect(result.database).toBe('JASPAR2026 CORE (vertebrates), 1019 matrices');
    worker.handle({ type: 'scan', id: 3, request: { ...request(), threshold: 2 }, share: WHOLE });
    await until(() => messages.some(m => m.type === 'error'));
    expect(messages.find(m => m.type === 'error')).toMatchObject({
      id: 3,
      message: expect.stringMatching(/threshold is 2: expected a number in \(0, 1\]/) as string
    });
    await worker.dispose();
  });

  test('two workers share the forward pass: the second hands its part to the first on their channel', async () => {
    // 500 sequences of 100 bp make three batches: the first and third for share 0.
    const many = dnaExamples(500, 8).map((e, i) => ({ name: `m${i}`, sequence: e.sequence }));
    const first = await service(true, many);
    const second = await service(true, many);
    const [toSecond, toFirst] = portPair();
    first.worker.handle({ type: 'peer', port: toSecond });
    second.worker.handle({ type: 'peer', port: toFirst });
    const handed: ToScanWorker[] = [];
    const onPart = toSecond.onmessage!;
    toSecond.onmessage = event => {
      handed.push(event.data);
      onPart(event);
    };
    first.worker.handle({ type: 'scan', id: 1, request: request(), share: { index: 0, of: 2 } });
    second.worker.handle({ type: 'scan', id: 1, request: request(), share: { index: 1, of: 2 } });
    await first.until(() => first.messages.some(m => m.type === 'scanDone' || m.type === 'error'));
    // The second's one part came on the channel, with its batch; it reported no result.
    expect(handed.map(m => (m.type === 'part' ? m.part.kept.map(k => k.batch) : m.type))).toEqual([
      [1]
    ]);
    expect(second.messages.some(m => m.type === 'scanDone')).toBe(false);
    const done = first.messages.find(m => m.type === 'scanDone') as Extract<
      FromScanWorker,
      { type: 'scanDone' }
    >;
    const expected = filterMotifs(model, many, { layer: layer() });
    expect(done.result.motifs.filters).toEqual(expected.filters);
    expect(Array.from(done.result.motifs.maxima)).toEqual(Array.from(expected.maxima));
    await Promise.all([first.worker.dispose(), second.worker.dispose()]);
  });

  test('share 0 waiting for a part stops on a cancel: a late part finishes nothing', async () => {
    const { worker, messages, until, host } = await service();
    // A clock that runs fast: every slice reports, so the end of the forward pass shows.
    let clock = 0;
    host.now = () => (clock += 200);
    const unmatched = { ...request(), match: false };
    worker.handle({ type: 'scan', id: 1, request: unmatched, share: { index: 0, of: 2 } });
    await until(() =>
      messages.some(
        m => m.type === 'scanProgress' && m.progress.phase === 'scan' && m.progress.done === 120
      )
    );
    // Share 0 read its one batch and waits for share 1's part, which comes after a cancel.
    worker.handle({ type: 'cancel', id: 1 });
    const helper = new MotifScan(
      model,
      readSequenceSet(model, sequences),
      { layer: layer() },
      {
        index: 1,
        of: 2
      }
    );
    helper.step();
    worker.handle({ type: 'part', id: 1, part: helper.part() });
    // Unless cancelled, the part would finish scan 1 well within a second.
    await new Promise(resolve => setTimeout(resolve, 1000));
    expect(messages.filter(m => m.type === 'scanDone' || m.type === 'error')).toEqual([]);
    worker.handle({ type: 'scan', id: 2, request: request(), share: WHOLE });
    await until(() => messages.some(m => m.type === 'scanDone' || m.type === 'error'));
    expect(messages.filter(m => m.type === 'scanDone').map(m => m.id)).toEqual([2]);
    await worker.dispose();
  });

  test('a worker started without a set says so', async () => {
    const { messages } = await service(false);
    expect(messages).toEqual([
      { type: 'error', id: null, message: "The scan worker needs the payload's set of sequences." }
    ]);
  });
});
