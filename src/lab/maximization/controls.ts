/**
 * The maximization panel's controls: the objective, sliders for the iterations, learning
 * rate, L2 weight and seed, the start point, the softmax switch (one-hot inputs), the
 * tutorial preset and the batched run over all filters. A change asks the panel for a run;
 * the controls turn their values into the run's request.
 */
import { MAXIMIZATION_DEFAULTS, TUTORIAL_PRESET } from '../../core/maximizationOptions';
import type { SequencePayload } from '../../protocol';
import { element } from '../embed';
import type { SavedControls } from '../savedView';
import type { RunRequest, StartPoint } from '../worker/messages';
import { formatValue } from './runStatus';

/** The values the sliders step through. */
export const SLIDER_VALUES = {
  iterations: [10, 20, 50, 100, 200, 300, 500, 1000, 2000],
  learningRate: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3],
  l2: [0, 1e-5, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 1]
} as const;

type SliderName = keyof typeof SLIDER_VALUES;

/** What a control asks for: a new run of the selected filter, or of all filters. */
export type RunScope = 'filter' | 'all';

/** The controls' settings as the notebook keeps them, without the position (the panel's). */
export type ControlSettings = Omit<SavedControls, 'position'>;

/** A slider and the label that shows its value. */
interface Slider {
  input: HTMLInputElement;
  label: HTMLSpanElement;
}

/**
 * The value's index in a slider's steps: the nearest on a log scale.
 *
 * @param values - the slider's values
 * @param value - the value wanted
 * @returns the index of the nearest
 */
function nearestIndex(values: readonly number[], value: number): number {
  let best = 0;
  values.forEach((v, i) => {
    if (
      Math.abs(Math.log(v + 1e-9) - Math.log(value + 1e-9)) <
      Math.abs(Math.log(values[best] + 1e-9) - Math.log(value + 1e-9))
    ) {
      best = i;
    }
  });
  return best;
}

/**
 * A control with its label text before and, optionally, after it.
 *
 * @param text - the label
 * @param input - the control
 * @param after - text after the control
 * @returns the label element
 */
function labelled(text: string, input: HTMLElement, after?: string): HTMLLabelElement {
  const label = element('label', 'c1e-control', text);
  label.append(input);
  if (after) {
    label.append(after);
  }
  return label;
}

/** The controls of one maximization panel. */
export class MaximizationControls {
  /** The toolbar holding them. */
  readonly node: HTMLDivElement = element('div', 'c1e-toolbar c1e-max-controls');
  private readonly sliders = new Map<SliderName, Slider>();
  private readonly objective = element('select', 'c1e-objective');
  private readonly start = element('select', 'c1e-start');
  private readonly seed = element('input', 'c1e-seed');
  private readonly seedLabel = element('span', 'c1e-value');
  private readonly softmax = element('input', 'c1e-softmax');
  private readonly oneHot: boolean;

  /**
   * Builds the controls.
   *
   * @param sequence - the explorer's sequence (its kind decides the start and softmax)
   * @param onRequest - called when a control asks for a run
   */
  constructor(
    sequence: SequencePayload,
    private readonly onRequest: (scope: RunScope) => void
  ) {
    this.oneHot = sequence.kind === 'onehot';
    this.node.dataset.lmSuppressShortcuts = 'true';
    this.node.addEventListener('keydown', event => event.stopPropagation());
    for (const [value, text] of [
      ['position', 'at one position'],
      ['mean', 'mean over positions']
    ]) {
      this.objective.add(new Option(text, value));
    }
    this.node.append(labelled('Objective ', this.objective));
    this.addSlider('iterations', 'Iterations ', MAXIMIZATION_DEFAULTS.iterations);
    this.addSlider('learningRate', 'Learning rate ', MAXIMIZATION_DEFAULTS.learningRate);
    this.addSlider('l2', 'L2 ', MAXIMIZATION_DEFAULTS.l2);
    this.addSeed();
    this.addStart(sequence);
    this.addButtons();
    for (const input of [this.objective, this.start, this.seed, this.softmax]) {
      input.addEventListener(input === this.seed ? 'input' : 'change', () => {
        this.seedLabel.textContent = ` ${this.seed.value}`;
        this.onRequest('filter');
      });
    }
  }

  /**
   * The settings, for the notebook.
   *
   * @returns the objective, hyperparameters, seed, start and softmax switch
   */
  settings(): ControlSettings {
    return {
      objective: this.objective.value as ControlSettings['objective'],
      iterations: this.sliderValue('iterations'),
      learningRate: this.sliderValue('learningRate'),
      l2: this.sliderValue('l2'),
      seed: Number(this.seed.value),
      start: this.start.value as StartPoint,
      softmax: this.softmax.checked
    };
  }

  /**
   * The request for a run with these settings.
   *
   * @param layer - the layer's name
   * @param filters - the filters to maximize
   * @param position - the output position, used when the objective is one position
   * @returns the request
   */
  request(layer: string, filters: number[] | 'all', position: number): RunRequest {
    return {
      layer,
      filters,
      iterations: this.sliderValue('iterations'),
      learningRate: this.sliderValue('learningRate'),
      l2: this.sliderValue('l2'),
      seed: Number(this.seed.value),
      position: this.objective.value === 'position' ? position : null,
      softmax: this.oneHot && this.softmax.checked,
      start: this.start.value as StartPoint
    };
  }

  /**
   * Sets the controls as the notebook kept them.
   *
   * @param controls - from `readSavedView`
   */
  apply(controls: SavedControls): void {
    this.objective.value = controls.objective;
    this.setSlider('iterations', controls.iterations);
    this.setSlider('learningRate', controls.learningRate);
    this.setSlider('l2', controls.l2);
    this.seed.value = String(Math.min(controls.seed, 99));
    this.seedLabel.textContent = ` ${this.seed.value}`;
    this.start.value = controls.start;
    this.softmax.checked = this.oneHot && controls.softmax;
  }

  /** Switches the objective to one position (a position was picked on the activation line). */
  targetPosition(): void {
    this.objective.value = 'position';
  }

  private addSlider(name: SliderName, text: string, initial: number): void {
    const input = element('input', `c1e-slider c1e-${name}`);
    input.type = 'range';
    input.min = '0';
    input.max = String(SLIDER_VALUES[name].length - 1);
    input.step = '1';
    const label = element('span', 'c1e-value');
    this.sliders.set(name, { input, label });
    this.setSlider(name, initial);
    input.addEventListener('input', () => {
      this.setSlider(name, this.sliderValue(name));
      this.onRequest('filter');
    });
    const control = labelled(text, input);
    control.append(label);
    this.node.append(control);
  }

  private addSeed(): void {
    this.seed.type = 'range';
    this.seed.min = '0';
    this.seed.max = '99';
    this.seed.step = '1';
    this.seed.value = '0';
    this.seedLabel.textContent = ' 0';
    const control = labelled('Seed ', this.seed);
    control.append(this.seedLabel);
    this.node.append(control);
  }

  private addStart(sequence: SequencePayload): void {
    this.start.add(new Option('random (seed)', 'random'));
    this.start.add(
      new Option(
        sequence.kind === 'tokens' ? "this sequence's embedding" : 'this sequence',
        'sequence'
      )
    );
    this.node.append(labelled('Start ', this.start));
    if (this.oneHot) {
      this.softmax.type = 'checkbox';
      this.softmax.checked = true;
      this.start.value = 'sequence';
      this.node.append(labelled('', this.softmax, ' probabilities (softmax, logo)'));
    }
  }

  private addButtons(): void {
    const preset = element('button', 'c1e-button c1e-preset', 'Tutorial preset');
    preset.title = `learning rate ${TUTORIAL_PRESET.learningRate}, l2 ${TUTORIAL_PRESET.l2}, ${TUTORIAL_PRESET.iterations} iterations`;
    preset.addEventListener('click', () => {
      this.setSlider('iterations', TUTORIAL_PRESET.iterations);
      this.setSlider('learningRate', TUTORIAL_PRESET.learningRate);
      this.setSlider('l2', TUTORIAL_PRESET.l2);
      this.onRequest('filter');
    });
    const all = element('button', 'c1e-button c1e-all', 'All filters');
    all.title = 'Maximize every filter of the layer in one batched run';
    all.addEventListener('click', () => this.onRequest('all'));
    this.node.append(preset, all);
  }

  private setSlider(name: SliderName, value: number): void {
    const index = nearestIndex(SLIDER_VALUES[name], value);
    const slider = this.sliders.get(name)!;
    slider.input.value = String(index);
    slider.label.textContent = ` ${formatValue(SLIDER_VALUES[name][index])}`;
  }

  private sliderValue(name: SliderName): number {
    return SLIDER_VALUES[name][Number(this.sliders.get(name)!.input.value)];
  }
}
