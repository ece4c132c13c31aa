/**
 * The dataset view's scan client with two workers sharing the forward pass: each "worker"
 * here is a real `MotifService` behind a stand-in for `Worker` that delivers messages
 * asynchronously both ways (jest's sandbox cannot take structured clones from Node's
 * realm). The second worker's part goes to the first on a channel between them, not
 * through the client; the forward pass's progress is summed over both; the result is the
 * kernel's `filterMotifs`; a cancel reaches both; `dispose` ends both.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '../../src/kernel';
import { filterMotifs } from '../../src/core/filterMotifs';
import { readSequenceSet } from '../../src/core/sequenceSet';
import { modelToPayload } from '../../src/core/serialize';
import { encodeSequenceSet } from '../../src/protocol';
import { MotifScanner } from '../../src/lab/motifScanner';
import { MotifService } from '../../src/lab/worker/motifService';
import type { PartPort, ScanProgress, ToScanWorker } from '../../src/lab/worker/scanMessages';
import { portPair } from './helpers';
import type { InitMessage } from '../../src/lab/worker/messages';
import { dnaExamples } from '../../examples/train/data';

const MODEL = path.join(__dirname, '..', '..', 'examples', 'models', 'dna', 'model.json');

/** What the stand-in workers saw: the messages each was sent, and which were ended. */
const sent: (InitMessage | ToScanWorker)[][] = [];
let terminated = 0;

/** A `Worker` whose script is a `MotifService` in this thread, reached asynchronously. */
class ServiceWorker {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  private readonly inbox: (InitMessage | ToScanWorker)[] = [];
  private readonly service = new MotifService({
    post: message => setImmediate(() => this.onmessage?.({ data: message })),
    useBackend: async () => tf.getBackend(),
    yieldToEvents: () => new Promise<void>(resolve => setImmediate(resolve)),
    // A clock that runs fast: a slice is one step, and every slice reports its progress.
    now: () => (this.clock += 200)
  });
  private clock = 0;

  constructor() {
    sent.push(this.inbox);
  }

  postMessage(message: InitMessage | ToScanWorker): void {
    this.inbox.push(message);
    setImmediate(() => this.service.handle(message));
  }

  terminate(): void {
    terminated++;
    void this.service.dispose();
  }
}

/** A `MessageChannel` whose ends pass messages as they are, in this thread. */
class StandInChannel {
  readonly port1: PartPort;
  readonly port2: PartPort;
  constructor() {
    [this.port1, this.port2] = portPair();
  }
}

describe('the scan client with two workers', () => {
  let model: tf.LayersModel;
  // 500 sequences of 100 bp: three batches, the second for the second worker.
  const sequences = dnaExamples(500, 9).map((e, i) => ({ name: `q${i}`, sequence: e.sequence }));
  const globals = globalThis as unknown as {
    Worker?: unknown;
    document?: unknown;
    MessageChannel: unknown;
  };
  const nodeChannel = globals.MessageChannel;

  beforeAll(async () => {
    model = await loadModel(MODEL);
    globals.Worker = ServiceWorker;
    globals.MessageChannel = StandInChannel;
    globals.document = { baseURI: 'http://localhost/lab/' };
  });
  afterAll(() => {
    model.dispose();
    delete globals.Worker;
    globals.MessageChannel = nodeChannel;
    delete globals.document;
  });

  async function scanner(): Promise<MotifScanner> {
    sent.length = 0;
    terminated = 0;
    const payload = {
      model: await modelToPayload(model),
      sequence: { kind: 'onehot' as const, sequence: sequences[0].sequence, alphabet: 'ACGT' },
      sequences: encodeSequenceSet(readSequenceSet(model, sequences))
    };
    return new MotifScanner(payload, 'cpu', { worker: 'worker.js', wasmFiles: {} }, 2);
  }

  const request = () => ({
    layer: model.layers.find(l => l.getClassName() === 'Conv1D')!.name,
    threshold: 0.5,
    match: false,
    tax: null
  });

  test('the second worker’s part reaches the first; the result is filterMotifs’', async () => {
    const client = await scanner();
    const reports: ScanProgress[] = [];
    const result = await client.scan(request(), p => reports.push(p));
    const expected = filterMotifs(model, sequences, { layer: request().layer });
    expect(result!.motifs.filters).toEqual(expected.filters);
    expect(Array.from(result!.motifs.maxima)).toEqual(Array.from(expected.maxima));
    // Each worker got its share; the first also got the second's part.
    const scans = sent.map(inbox => inbox.find(m => m.type === 'scan'));
    expect(scans.map(m => (m?.type === 'scan' ? m.share : null))).toEqual([
      { index: 0, of: 2 },
      { index: 1, of: 2 }
    ]);
    // Each got one end of the channel between them; no part came through this thread.
    expect(sent.map(inbox => inbox.filter(m => m.type === 'peer').length)).toEqual([1, 1]);
    expect(sent.flat().filter(m => m.type === 'part')).toHaveLength(0);
    // The forward pass's progress counts both workers' sequences, of the whole set.
    const reading = reports.filter(r => r.phase === 'scan');
    expect(reading.every(p => p.total === sequences.length)).toBe(true);
    // Share 0 reads 300 sequences (batches 0 and 2), share 1 200 (batch 1).
    expect(Math.max(...reading.map(p => p.done))).toBe(sequences.length);
    client.dispose();
    expect(terminated).toBe(2);
  });

  test('a cancel reaches both workers, and the next scan still works', async () => {
    const client = await scanner();
    const first = client.scan(request(), () => undefined);
    client.cancel();
    expect(await first).toBeNull();
    expect(sent.map(inbox => inbox.filter(m => m.type === 'cancel').length)).toEqual([1, 1]);
    const again = await client.scan(request(), () => undefined);
    expect(again!.motifs.filters).toHaveLength(
      model.getLayer(request().layer).getWeights()[0].shape[2]!
    );
    client.dispose();
  });
});
