/**
 * The messages between an explorer's dataset view and its scan worker (the same worker
 * script as the maximization's, started with `role: 'scan'`). Types only.
 */
import type { BestNgram, TapWords } from '../../core/bestNgrams';
import type { FilterMotifs, ScanPart, ScanShare } from '../../core/filterMotifs';
import type { MotifMatch } from '../../core/tomtom';

/** One scan of the set the dataset view asks for. */
export interface ScanRequest {
  layer: string;
  /** Basset's threshold: mean + threshold × (max − mean). */
  threshold: number;
  /** Match the filters' motifs against JASPAR CORE (one-hot DNA or RNA sets only). */
  match: boolean;
  /** Only JASPAR's matrices of this taxonomic group (e.g. `vertebrates`); all when null. */
  tax: string | null;
}

/** How far a scan has come. */
export interface ScanProgress {
  /** Running the set through the model, counting the sites, or matching the motifs. */
  phase: 'scan' | 'sites' | 'match';
  /** Scan and sites: sequences read or counted; match: filters matched. */
  done: number;
  total: number;
  millis: number;
}

/** A match in the database, with the factor's name. */
export interface DatasetMatch extends MotifMatch {
  /** The factor the matrix is of (JASPAR's name, e.g. `CTCF`). */
  factor: string;
}

/** What a scan found. */
export interface ScanResult {
  motifs: FilterMotifs;
  /** Per filter, its best matches (empty for a filter without a motif); null when not matched. */
  matches: DatasetMatch[][] | null;
  /**
   * Per filter, its best possible n-grams (exact; see `bestNgrams`); null when the layer
   * does not read the input (or its Embedding) directly, or reads numbers.
   */
  best: BestNgram[][] | null;
  /** Embedding models: per filter, each kernel tap's best words; null otherwise. */
  taps: TapWords[][] | null;
  /** What the motifs were matched against, for the view's caption; null when not matched. */
  database: string | null;
  /** Milliseconds of the scan and of the matching. */
  millis: { scan: number; match: number };
}

/** Messages to a scan worker (after its `init`). A new scan cancels the one in flight. */
export type ToScanWorker =
  /** `share`: this worker's share of the forward pass (`{ index: 0, of: 1 }`: all of it). */
  | { type: 'scan'; id: number; request: ScanRequest; share: ScanShare }
  /**
   * A channel to another scan worker: from each other share to share 0, which gets one per
   * other share. Parts travel on it, never through the page.
   */
  | { type: 'peer'; port: PartPort }
  /** On a peer channel, to share 0: another share's part of scan `id`. */
  | { type: 'part'; id: number; part: ScanPart }
  | { type: 'cancel'; id: number };

/** Messages from a scan worker. */
export type FromScanWorker =
  | { type: 'ready'; backend: string }
  | { type: 'scanProgress'; id: number; progress: ScanProgress }
  | { type: 'scanDone'; id: number; result: ScanResult }
  | { type: 'error'; id: number | null; message: string };

/** The end of a channel between two scan workers (a `MessagePort`). */
export interface PartPort {
  postMessage(message: ToScanWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToScanWorker>) => void) | null;
  close?(): void;
}
