/**
 * What an explorer remembers in the saved notebook (the output's metadata): the layer and
 * filter shown, the maximization controls and the last one-filter result, so a reopened
 * notebook shows the same view without recomputing the maximization. Read back as
 * untrusted data: anything malformed is ignored, never shown or run.
 */
import { fromBase64, isCount, isFiniteNumber, isObject, toBase64 } from '../protocol';
import type { DatasetSettings } from './dataset/datasetPanel';
import { DATASET_DATABASES, GALLERY_SORTS } from './dataset/datasetRows';
import type { RunRequest, RunSnapshot } from './worker/messages';

/** The output metadata key the view is kept under. */
export const SAVED_VIEW_KEY = 'conv1d-explorer';

/** The maximization panel's controls. */
export interface SavedControls {
  objective: 'position' | 'mean';
  position: number;
  iterations: number;
  learningRate: number;
  l2: number;
  seed: number;
  start: 'random' | 'sequence';
  softmax: boolean;
}

/** A one-filter maximization result, its arrays as base64 float32. */
export interface SavedResult {
  request: RunRequest;
  step: number;
  length: number;
  width: number;
  variable: 'input' | 'embedding';
  outputLength: number;
  input: string;
  losses: string;
  activation: number;
  everActive: boolean;
  stopped: string | null;
  nearest: { count: number; ids: string; similarities: string } | null;
}

/** Everything an explorer keeps in the notebook. */
export interface SavedView {
  version: 1;
  layer: string;
  filter: number;
  /** The range brushed on the activation line (x-axis units), or null. */
  brush?: [number, number] | null;
  controls: SavedControls;
  result: SavedResult | null;
  /** With a set of sequences: the sequence open, and the dataset view's settings. */
  dataset?: SavedDataset;
}

/** What the notebook keeps of a dataset view. */
export interface SavedDataset {
  /** The sequence of the set open in the per-sequence views. */
  opened: number;
  settings: DatasetSettings;
}

function bytesOf(array: Float32Array | Int32Array): string {
  return toBase64(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

/** The bytes of `count` 4-byte numbers; throws when the text holds another amount. */
function words(text: string, count: number): ArrayBuffer {
  const bytes = fromBase64(text);
  if (bytes.length !== count * 4) {
    throw new Error(`expected ${count} numbers`);
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
}

/**
 * A one-filter run's result, for the notebook.
 *
 * @param snapshot - the run's final snapshot (one row)
 * @param request - what was run
 * @returns the result as JSON-safe data
 */
export function saveResult(snapshot: RunSnapshot, request: RunRequest): SavedResult {
  const { state } = snapshot;
  return {
    request,
    step: state.step,
    length: state.length,
    width: state.width,
    variable: snapshot.variable,
    outputLength: snapshot.outputLength,
    input: bytesOf(state.input),
    losses: bytesOf(snapshot.losses),
    activation: state.activations[0],
    everActive: state.everActive[0],
    stopped: state.stopped,
    nearest: snapshot.nearest
      ? {
          count: snapshot.nearest.count,
          ids: bytesOf(snapshot.nearest.ids),
          similarities: bytesOf(snapshot.nearest.similarities)
        }
      : null
  };
}

/**
 * A saved result as a snapshot the views can draw.
 *
 * @param saved - from the notebook, already checked by `readSavedView`
 * @returns the snapshot and the request that produced it
 */
export function restoreResult(saved: SavedResult): { snapshot: RunSnapshot; request: RunRequest } {
  const cells = saved.length * saved.width;
  const nearest = saved.nearest
    ? {
        count: saved.nearest.count,
        ids: new Int32Array(words(saved.nearest.ids, saved.length * saved.nearest.count)),
        similarities: new Float32Array(
          words(saved.nearest.similarities, saved.length * saved.nearest.count)
        )
      }
    : null;
  return {
    request: saved.request,
    snapshot: {
      state: {
        filters: saved.request.filters as number[],
        step: saved.step,
        iterations: saved.request.iterations,
        length: saved.length,
        width: saved.width,
        input: new Float32Array(words(saved.input, cells)),
        activations: Float32Array.of(saved.activation),
        losses: [],
        everActive: [saved.everActive],
        stopped: saved.stopped
      },
      losses: new Float32Array(words(saved.losses, saved.step)),
      variable: saved.variable,
      outputLength: saved.outputLength,
      nearest,
      millis: 0
    }
  };
}

function readControls(v: unknown): SavedControls | null {
  if (
    isObject(v) &&
    (v.objective === 'position' || v.objective === 'mean') &&
    isCount(v.position) &&
    isCount(v.iterations) &&
    isFiniteNumber(v.learningRate) &&
    isFiniteNumber(v.l2) &&
    isCount(v.seed) &&
    (v.start === 'random' || v.start === 'sequence') &&
    typeof v.softmax === 'boolean'
  ) {
    return v as unknown as SavedControls;
  }
  return null;
}

function readResult(v: unknown): SavedResult | null {
  if (!isObject(v) || !isObject(v.request)) {
    return null;
  }
  const r = v.request;
  const requestOk =
    typeof r.layer === 'string' &&
    Array.isArray(r.filters) &&
    r.filters.length === 1 &&
    isCount(r.filters[0]) &&
    isCount(r.iterations) &&
    isFiniteNumber(r.learningRate) &&
    isFiniteNumber(r.l2) &&
    isCount(r.seed) &&
    (r.position === null || isCount(r.position)) &&
    typeof r.softmax === 'boolean' &&
    (r.start === 'random' || r.start === 'sequence');
  const ok =
    requestOk &&
    isCount(v.step) &&
    isCount(v.length) &&
    isCount(v.width) &&
    (v.variable === 'input' || v.variable === 'embedding') &&
    isCount(v.outputLength) &&
    typeof v.input === 'string' &&
    typeof v.losses === 'string' &&
    isFiniteNumber(v.activation) &&
    typeof v.everActive === 'boolean' &&
    (v.stopped === null || typeof v.stopped === 'string') &&
    (v.nearest === null ||
      (isObject(v.nearest) &&
        isCount(v.nearest.count) &&
        typeof v.nearest.ids === 'string' &&
        typeof v.nearest.similarities === 'string'));
  if (!ok) {
    return null;
  }
  try {
    restoreResult(v as unknown as SavedResult); // the arrays decode to their sizes
    return v as unknown as SavedResult;
  } catch {
    return null;
  }
}

/**
 * Reads the view kept in an output's metadata.
 *
 * @param metadata - the output's metadata
 * @returns the saved view, or null when there is none or it is malformed
 */
export function readSavedView(metadata: unknown): SavedView | null {
  const v = isObject(metadata) ? metadata[SAVED_VIEW_KEY] : undefined;
  if (!isObject(v) || v.version !== 1 || typeof v.layer !== 'string' || !isCount(v.filter)) {
    return null;
  }
  const controls = readControls(v.controls);
  if (!controls) {
    return null;
  }
  const brush =
    Array.isArray(v.brush) && v.brush.length === 2 && v.brush.every(isFiniteNumber)
      ? ([Math.min(...v.brush), Math.max(...v.brush)] as [number, number])
      : null;
  const dataset = readDataset(v.dataset);
  return {
    version: 1,
    layer: v.layer,
    filter: v.filter,
    brush,
    controls,
    result: v.result === null ? null : readResult(v.result),
    ...(dataset ? { dataset } : {})
  };
}

const DATABASES: readonly unknown[] = DATASET_DATABASES.map(d => d.value);
const GALLERIES: readonly unknown[] = GALLERY_SORTS.map(g => g.value);

/** A saved dataset view, or null when there is none or it is malformed. */
function readDataset(v: unknown): SavedDataset | null {
  if (!isObject(v) || !isCount(v.opened) || !isObject(v.settings)) {
    return null;
  }
  const { threshold, database, gallerySort, tableSort } = v.settings;
  const ok =
    isFiniteNumber(threshold) &&
    threshold > 0 &&
    threshold <= 1 &&
    DATABASES.includes(database) &&
    GALLERIES.includes(gallerySort) &&
    isObject(tableSort) &&
    (tableSort.column === null || typeof tableSort.column === 'string') &&
    typeof tableSort.descending === 'boolean';
  return ok ? (v as unknown as SavedDataset) : null;
}
