/**
 * The maximization panel's status line, as text: what a run is doing, how fast it goes and
 * what it found. Pure functions of a run's request and snapshot, with no DOM, so the texts
 * can be checked in Node.
 */
import type { RunProgress, RunRequest, RunSnapshot } from '../worker/messages';

/** What a finished (or restored) run's text adds at its end. */
export interface RunContext {
  /** The result came from the notebook, not from a run. */
  restored?: boolean;
  /** The tfjs backend the worker computed it on. */
  backend?: string;
}

/**
 * A hyperparameter as the panel writes it: small values in exponent form (`1e-4`).
 *
 * @param value - a learning rate, an L2 weight, an iteration count
 * @returns its text
 */
export function formatValue(value: number): string {
  return value === 0 || value >= 0.001 ? String(value) : value.toExponential(0);
}

/**
 * How fast a run goes: filter-steps (one optimizer step of one filter) per second.
 *
 * @param steps - steps taken
 * @param rows - filters optimized together
 * @param millis - milliseconds since the run started (at least one is assumed)
 * @returns filter-steps per second
 */
export function filterStepsPerSecond(steps: number, rows: number, millis: number): number {
  return (steps * rows) / Math.max(millis / 1000, 1e-3);
}

/**
 * What the run maximizes, in words.
 *
 * @param rows - filters in the run
 * @param filter - the filter, for a run of one
 * @returns `filter 3` or `all 32 filters`
 */
function filtersText(rows: number, filter: number): string {
  return rows === 1 ? `filter ${filter}` : `all ${rows} filters`;
}

/**
 * The status while a run starts.
 *
 * @param rows - filters in the run
 * @param filter - the filter, for a run of one
 * @returns `Maximizing filter 3…` or `Maximizing all 32 filters…`
 */
export function startText(rows: number, filter: number): string {
  return `Maximizing ${filtersText(rows, filter)}…`;
}

/**
 * The status of a batched run while it goes on (it reports no snapshot until the end).
 *
 * @param request - the run's request
 * @param progress - how far it has come
 * @param rows - filters in the run
 * @returns the step and the speed
 */
export function progressText(request: RunRequest, progress: RunProgress, rows: number): string {
  const speed = filterStepsPerSecond(progress.step, rows, progress.millis);
  return (
    `Maximizing all ${rows} filters of ${request.layer}: step ${progress.step} of ` +
    `${progress.iterations} · ${Math.round(speed)} filter-steps/s`
  );
}

/**
 * What the optimized variable is and where it started, in words.
 *
 * @param snapshot - the run's snapshot
 * @param request - the run's request
 * @returns e.g. `raw input from seed 3`
 */
function inputText(snapshot: RunSnapshot, request: RunRequest): string {
  const variable = request.softmax
    ? 'softmax probabilities'
    : snapshot.variable === 'embedding'
      ? 'embedding vectors'
      : 'raw input';
  return `${variable} from ${request.start === 'random' ? `seed ${request.seed}` : 'the sequence'}`;
}

/**
 * The note on filters that never turned on during a complete run, or nothing.
 *
 * @param snapshot - the run's snapshot
 * @param rows - filters in the run
 * @returns the note, starting with `. `, or an empty string
 */
function neverActiveText(snapshot: RunSnapshot, rows: number): string {
  const { state } = snapshot;
  const never = state.filters.filter((_, row) => !state.everActive[row]);
  if (never.length === 0 || state.step !== state.iterations) {
    return '';
  }
  return rows === 1
    ? `. Filter ${never[0]} never turned on (its activation stayed 0 at every step): the input shows where its pre-activation rose, not a pattern it responds to.`
    : `. ${never.length} filter(s) never turned on: ${never.slice(0, 20).join(', ')}.`;
}

/**
 * The status of a run's result: what was maximized and how, the step, the speed, the
 * objective reached, filters that never turned on and why the run stopped early.
 *
 * @param snapshot - the run's snapshot (partial or final)
 * @param request - the run's request
 * @param rows - filters in the run
 * @param context - whether it was restored from the notebook, and the backend
 * @returns the status text
 */
export function describeRun(
  snapshot: RunSnapshot,
  request: RunRequest,
  rows: number,
  context: RunContext = {}
): string {
  const { state } = snapshot;
  const objective =
    request.position === null
      ? 'mean activation over positions'
      : `activation at output position ${request.position}`;
  const speed = filterStepsPerSecond(state.step, rows, snapshot.millis);
  const parts = [
    `Maximized ${filtersText(rows, state.filters[0])} of ${request.layer}: ${objective}`,
    `step ${state.step} of ${state.iterations}`,
    `learning rate ${formatValue(request.learningRate)}, l2 ${formatValue(request.l2)}`,
    inputText(snapshot, request),
    ...(snapshot.millis > 0 ? [`${Math.round(speed)} filter-steps/s`] : [])
  ];
  if (rows === 1) {
    parts.push(`objective ${state.activations[0].toPrecision(4)}`);
  }
  let text = parts.join(' · ') + neverActiveText(snapshot, rows);
  if (state.stopped) {
    text += `. ${state.stopped}`;
  }
  if (context.restored) {
    text += ' · as saved in the notebook (move a control to run it again)';
  }
  if (context.backend !== undefined) {
    text += ` · ${context.backend} backend, in a Web Worker`;
  }
  return text;
}

/**
 * The status of a filter opened from the gallery.
 *
 * @param filter - the filter
 * @returns the text
 */
export function galleryFilterText(filter: number): string {
  return `Filter ${filter}, from the batched run over all filters.`;
}

/**
 * The status of a run that failed.
 *
 * @param message - what went wrong
 * @returns the text
 */
export function failureText(message: string): string {
  return `Activation maximization failed: ${message}`;
}

/**
 * The message of a draw that failed (the run it belongs to then fails with it).
 *
 * @param message - what went wrong
 * @returns the text
 */
export function drawFailureText(message: string): string {
  return `Cannot draw the maximization: ${message}`;
}
