/**
 * The maximization panel's one explicit state: what it is doing (idle, pending, running,
 * done, error) and what its views show, and the test marks that mirror it. Pure: the panel
 * writes the marks from the state and never reads them back.
 */
import type { TestMarks } from '../testHooks';

/**
 * What the panel is doing: nothing yet, waiting for the filter slider to rest, running,
 * showing a result, or showing why a run failed.
 */
export type RunPhase = 'idle' | 'pending' | 'running' | 'done' | 'error';

/** The panel's state. */
export interface PanelState {
  phase: RunPhase;
  /** Why a draw failed since the run in flight started (the run then fails), or null. */
  drawError: string | null;
  /** The step of the last result that finished, or null before the first. */
  step: number | null;
  /** The result shown came from the notebook. */
  restored: boolean;
  /** Filters in the gallery drawn, or null when there is none. */
  gallery: number | null;
}

/** A new panel's state. */
export const INITIAL_PANEL_STATE: PanelState = {
  phase: 'idle',
  drawError: null,
  step: null,
  restored: false,
  gallery: null
};

/**
 * The test marks that mirror a state (an idle panel has no `data-state`; the draw error is
 * not a mark).
 *
 * @param state - the panel's state
 * @returns the marks, for `forTests.mark`
 */
export function marksOf(state: PanelState): Partial<Record<keyof TestMarks, string | undefined>> {
  return {
    state: state.phase === 'idle' ? undefined : state.phase,
    step: state.step === null ? undefined : String(state.step),
    restored: state.restored ? 'true' : undefined,
    gallery: state.gallery === null ? undefined : String(state.gallery)
  };
}
