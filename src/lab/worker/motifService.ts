/**
 * The scan worker's logic, free of worker globals so it runs under jest too: it holds the
 * explorer's model and set, scans the set for one layer's filter motifs a batch at a time
 * (`MotifScan`), matches the motifs against JASPAR CORE a few filters at a time, reports
 * progress, and drops a scan as soon as a newer one (or a cancel) arrives. Several workers
 * can share a scan's forward pass: each runs its share of the batches, and the others'
 * parts come to share 0 on channels between the workers (`peer`), which counts the sites
 * and matches.
 */
import type * as tf from '@tensorflow/tfjs';
import { bestNgrams, tapWords } from '../../core/bestNgrams';
import { errorMessage, ExplorerError } from '../../core/errors';
import {
  MotifScan,
  scanPartBuffers,
  type FilterMotifs,
  type ScanPart,
  type ScanShare
} from '../../core/filterMotifs';
import { JASPAR_ALPHABET, jasparData, jasparMotifs } from '../../core/jaspar';
import type { Motif } from '../../core/meme';
import { modelFromPayload } from '../../core/serialize';
import type { SequenceSet } from '../../core/sequenceSet';
import { BASSET_TRIM_BITS } from '../../core/pwm';
import { matchMotifs } from '../../core/tomtom';
import { decodeSequenceSet, PayloadError } from '../../protocol';
import type { InitMessage } from './messages';
import type {
  DatasetMatch,
  FromScanWorker,
  PartPort,
  ScanProgress,
  ScanRequest,
  ScanResult,
  ToScanWorker
} from './scanMessages';
import type { ServiceHost } from './service';

/** Work between two looks at the message queue, and between two progress reports. */
const SLICE_MILLIS = 40;
const PROGRESS_MILLIS = 150;
/** Filters matched between two looks at the queue (≈ 40 ms each against 2633 matrices). */
const MATCH_CHUNK = 2;

/** The host, posting scan messages. */
export type ScanHost = Omit<ServiceHost, 'post'> & {
  post(message: FromScanWorker, transfer: ArrayBuffer[]): void;
};

/** Runs dataset scans for one explorer. */
export class MotifService {
  private state: Promise<{ model: tf.LayersModel; set: SequenceSet }> | undefined;
  /** The scan that may go on; any other stops at its next slice. */
  private current = 0;
  /** Channels to the other scan workers: share 0's to each other share, or one to share 0. */
  private readonly peers: PartPort[] = [];
  /** The other shares' parts of the scan in flight, and how share 0 hears of one. */
  private parts: { id: number; received: ScanPart[]; arrived: () => void } = {
    id: 0,
    received: [],
    arrived: () => undefined
  };

  constructor(private readonly host: ScanHost) {}

  /**
   * Handles one message from the explorer.
   *
   * @param message - init, scan or cancel
   */
  handle(message: InitMessage | ToScanWorker): void {
    switch (message.type) {
      case 'init':
        this.state = this.host.useBackend(message).then(async backend => {
          if (!message.sequences) {
            throw new PayloadError("The scan worker needs the payload's set of sequences.");
          }
          const set = decodeSequenceSet(message.sequences);
          const model = await modelFromPayload(message.model);
          this.host.post({ type: 'ready', backend }, []);
          return { model, set };
        });
        this.state.catch(e => this.fail(null, e));
        break;
      case 'scan':
        this.current = message.id;
        this.dropParts(message.id);
        void this.scan(message.id, message.request, message.share);
        break;
      case 'peer':
        this.peers.push(message.port);
        message.port.onmessage = event => this.handle(event.data);
        break;
      case 'part':
        if (this.parts.id === message.id) {
          this.parts.received.push(message.part);
          this.parts.arrived();
        }
        break;
      case 'cancel':
        if (this.current === message.id) {
          this.current = 0;
          this.dropParts();
        }
        break;
    }
  }

  private async scan(id: number, request: ScanRequest, share: ScanShare): Promise<void> {
    try {
      const state = await this.state;
      if (!state || id !== this.current) {
        return;
      }
      const started = this.host.now();
      const scan = new MotifScan(
        state.model,
        state.set,
        { layer: request.layer, threshold: request.threshold },
        share
      );
      if (!(await this.steps(id, scan, started))) {
        return;
      }
      if (share.index > 0) {
        const part = scan.part();
        if (this.peers.length === 0) {
          throw new Error(`Scan share ${share.index} has no channel to share 0.`);
        }
        this.peers[0].postMessage({ type: 'part', id, part }, scanPartBuffers(part));
        return;
      }
      const parts = await this.partsOf(id, share.of - 1);
      if (!parts) {
        return;
      }
      parts.forEach(part => scan.addPart(part));
      if (!(await this.steps(id, scan, started))) {
        return;
      }
      const motifs = scan.result();
      const scanned = this.host.now();
      const matched = request.match ? await this.match(id, motifs, request.tax, started) : null;
      if (id !== this.current) {
        return;
      }
      const result: ScanResult = {
        motifs,
        ...firstLayerWords(state.model, state.set, request.layer),
        matches: matched?.matches ?? null,
        database: matched?.database ?? null,
        millis: { scan: scanned - started, match: this.host.now() - scanned }
      };
      this.host.post({ type: 'scanDone', id, result }, [motifs.maxima.buffer as ArrayBuffer]);
    } catch (e) {
      this.fail(id, e);
    }
  }

  /**
   * Steps the scan until it is done or waits for parts, in slices between which messages
   * get in, reporting progress.
   *
   * @returns false when a newer scan or a cancel took over
   */
  private async steps(id: number, scan: MotifScan, started: number): Promise<boolean> {
    let reported = this.host.now();
    while (scan.stage === 'reading' || scan.stage === 'counting') {
      const slice = this.host.now();
      // At least one step a slice, however long the last one took.
      do {
        scan.step();
      } while (
        (scan.stage === 'reading' || scan.stage === 'counting') &&
        this.host.now() - slice < SLICE_MILLIS
      );
      if (this.host.now() - reported >= PROGRESS_MILLIS) {
        const { pass, done, total } = scan.progress;
        this.progress(id, {
          phase: pass === 'model' ? 'scan' : 'sites',
          done,
          total,
          millis: this.host.now() - started
        });
        reported = this.host.now();
      }
      await this.host.yieldToEvents();
      if (id !== this.current) {
        return false;
      }
    }
    return true;
  }

  /** The other shares' parts of scan `id`, once `count` are in; null if it was superseded. */
  private async partsOf(id: number, count: number): Promise<ScanPart[] | null> {
    while (id === this.current && this.parts.id === id && this.parts.received.length < count) {
      await new Promise<void>(resolve => (this.parts.arrived = resolve));
    }
    return id === this.current && this.parts.id === id ? this.parts.received : null;
  }

  /**
   * The motifs' matches in JASPAR, a few filters at a time; null when the set is not DNA
   * or RNA (JASPAR's matrices are DNA), or when a newer scan took over.
   */
  private async match(
    id: number,
    motifs: FilterMotifs,
    tax: string | null,
    started: number
  ): Promise<{ matches: DatasetMatch[][]; database: string } | null> {
    const alphabet = motifs.alphabet?.replace('U', 'T');
    if (motifs.kind !== 'onehot' || alphabet !== JASPAR_ALPHABET) {
      return null;
    }
    const targets: Motif[] = jasparMotifs(tax === null ? {} : { tax });
    const factors = new Map(targets.map(t => [t.name, t.altName ?? t.name]));
    const queries = motifs.filters.filter(f => f.pfm !== null);
    const matches: DatasetMatch[][] = motifs.filters.map(() => []);
    for (let i = 0; i < queries.length; i += MATCH_CHUNK) {
      const chunk = queries.slice(i, i + MATCH_CHUNK);
      const found = matchMotifs(
        chunk.map(f => ({ name: String(f.filter), pwm: f.pfm! })),
        targets,
        { trim: BASSET_TRIM_BITS }
      );
      found.forEach((q, j) => {
        matches[chunk[j].filter] = q.matches.map(m => ({
          ...m,
          factor: factors.get(m.target) ?? m.target
        }));
      });
      this.progress(id, {
        phase: 'match',
        done: Math.min(i + MATCH_CHUNK, queries.length),
        total: queries.length,
        millis: this.host.now() - started
      });
      await this.host.yieldToEvents();
      if (id !== this.current) {
        return null;
      }
    }
    const data = jasparData();
    return {
      matches,
      database: `${data.release} ${data.collection}${tax ? ` (${tax})` : ''}, ${targets.length} matrices`
    };
  }

  private progress(id: number, progress: ScanProgress): void {
    this.host.post({ type: 'scanProgress', id, progress }, []);
  }

  private fail(id: number | null, e: unknown): void {
    this.host.post({ type: 'error', id, message: errorMessage(e) }, []);
  }

  /** Frees the model. */
  async dispose(): Promise<void> {
    this.current = 0;
    this.dropParts();
    this.peers.forEach(port => port.close?.());
    (await this.state?.catch(() => undefined))?.model.dispose();
  }

  /** Forgets the parts received, waking a scan that waits for them, and expects scan `id`'s. */
  private dropParts(id = 0): void {
    const { arrived } = this.parts;
    this.parts = { id, received: [], arrived: () => undefined };
    arrived();
  }
}

/**
 * A first-layer filter's best n-grams and, after an Embedding, its taps' best words; null
 * for a deeper layer or numeric input, which have no such exact answer.
 */
function firstLayerWords(
  model: tf.LayersModel,
  set: SequenceSet,
  layer: string
): Pick<ScanResult, 'best' | 'taps'> {
  if (set.kind === 'numeric') {
    return { best: null, taps: null };
  }
  const options = {
    layer,
    ...(set.alphabet ? { alphabet: set.alphabet } : {}),
    ...(set.labels ? { labels: set.labels } : {})
  };
  try {
    return {
      best: bestNgrams(model, options),
      taps: set.kind === 'tokens' ? tapWords(model, options) : null
    };
  } catch (e) {
    if (e instanceof ExplorerError) {
      return { best: null, taps: null };
    }
    throw e;
  }
}
