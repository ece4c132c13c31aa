/**
 * Do the default hyperparameters converge? For every filter of the example models' Conv1D
 * layers, one batched run with the defaults and one with the tutorial preset, under both
 * objectives; a run has converged when its loss moved less than 1% over the last tenth of
 * its steps. This is the measurement behind the defaults (see the README).
 */
import * as path from 'path';
import { stats } from './cases';
import { Maximization } from '../src/core/maximization';
import { maximizeActivation } from '../src/core/maximize';
import { MAXIMIZATION_DEFAULTS, TUTORIAL_PRESET } from '../src/core/maximizationOptions';
import { conv1dLayers } from '../src/core/layers';
import { loadModel } from '../src/kernel';

/** One row of the convergence table. */
export interface ConvergenceRow {
  model: string;
  layer: string;
  preset: 'defaults' | 'tutorial';
  objective: 'mean' | 'position';
  /** Share of filters whose loss changed by less than 1% over the last tenth of the steps. */
  converged: number;
  /** Median over filters of that relative change. */
  medianChange: number;
  /** Median over filters of the input's root mean square. */
  medianRms: number;
}

/**
 * Runs the convergence measurement on the example models.
 *
 * @param root - the repository
 * @returns one row per model, layer, preset and objective
 */
export async function convergence(root: string): Promise<ConvergenceRow[]> {
  const rows: ConvergenceRow[] = [];
  for (const name of ['text', 'dna']) {
    const model = await loadModel(path.join(root, 'examples', 'models', name, 'model.json'));
    for (const layer of conv1dLayers(model)) {
      for (const [preset, hyper] of [
        ['defaults', MAXIMIZATION_DEFAULTS],
        ['tutorial', TUTORIAL_PRESET]
      ] as const) {
        for (const objective of ['mean', 'position'] as const) {
          const probe = new Maximization(model, { layer: layer.name });
          const middle = Math.floor(probe.outputLength / 2);
          probe.dispose();
          const results = maximizeActivation(model, {
            ...hyper,
            layer: layer.name,
            filters: 'all',
            seed: 0,
            position: objective === 'position' ? middle : undefined
          });
          const changes = results.map(r => {
            const losses = r.losses;
            const tenth = Math.max(1, Math.floor(losses.length / 10));
            const last = losses[losses.length - 1];
            return (
              Math.abs(last - losses[losses.length - 1 - tenth]) / Math.max(Math.abs(last), 1e-9)
            );
          });
          rows.push({
            model: name,
            layer: layer.name,
            preset,
            objective,
            converged: changes.filter(c => c < 0.01).length / changes.length,
            medianChange: stats(changes).median,
            medianRms: stats(
              results.map(r => {
                const flat = r.input.flat();
                return Math.sqrt(flat.reduce((s, v) => s + v * v, 0) / flat.length);
              })
            ).median
          });
        }
      }
    }
    model.dispose();
  }
  return rows;
}
