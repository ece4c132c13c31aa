/**
 * The messages between an explorer's dataset view and its scan worker (the same worker
 * script as the maximization's, started with `role: 'scan'`). Types only.
 */
import type { BestNgram, TapWords } from '../../core/bestNgrams';
import type { FilterMotifs } from '../../core/filterMotifs';
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
  /** Running the set through the model, or matching the motifs. */
  phase: 'scan' | 'match';
  /** Scan: sequences read over both passes (of twice the set); match: filters matched. */
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
  { type: 'scan'; id: number; request: ScanRequest } | { type: 'cancel'; id: number };

/** Messages from a scan worker. */
export type FromScanWorker =
  | { type: 'ready'; backend: string }
  | { type: 'scanProgress'; id: number; progress: ScanProgress }
  | { type: 'scanDone'; id: number; result: ScanResult }
  | { type: 'error'; id: number | null; message: string };
