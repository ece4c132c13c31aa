/**
 * "Open With → Conv1D Explorer" for a tfjs `model.json` or a Keras `.keras` or `.h5` file:
 * the explorer on a sequence typed into the view, computed from the model's files alone,
 * with no kernel.
 */
import {
  ABCWidgetFactory,
  DocumentWidget,
  type DocumentRegistry,
  type IDocumentWidget
} from '@jupyterlab/docregistry';
import { Widget } from '@lumino/widgets';
import { PAYLOAD_VERSION, type ModelPayload } from '../protocol';
import { element } from './embed';
import { isKerasFileName } from '../core/modelFormats';
import { forTests } from './testHooks';
import { joinPath, loadModelFile, parseModelFile } from './modelFile';
import { ExplorerView, loadCompute } from './view';
import { errorMessage, ExplorerError } from '../core/errors';

/** Reads one file on the server, as text or as base64. */
export type ReadServerFile = (path: string, format: 'text' | 'base64') => Promise<string>;

/** One-hot alphabets guessed from the channel count. */
const ALPHABETS: { [channels: number]: string } = { 4: 'ACGT', 20: 'ACDEFGHIKLMNPQRSTVWY' };

/** Positions of a random sequence when the model takes any length. */
const RANDOM_LENGTH = 100;

/** What the view knows of the model once its files are read. */
interface LoadedModel {
  payload: ModelPayload;
  tokens: boolean;
  length: number | null;
  channels: number | null;
  vocabulary: number | null;
  labels?: string[];
}

/**
 * The explorer for a model file: a form for the sequence above the explorer's views.
 */
export class ModelFileView extends Widget {
  private readonly status = element('div', 'c1e-status', 'Reading the model…');
  private readonly form = element('div', 'c1e-model-form');
  private readonly sequenceInput = element('textarea', 'c1e-sequence-input');
  private readonly alphabetInput = element('input', 'c1e-alphabet');
  private readonly exploreButton = element('button', 'c1e-button c1e-explore', 'Explore');
  private readonly randomButton = element('button', 'c1e-button c1e-random', 'Random sequence');
  private readonly hint = element('div', 'c1e-hint');
  private readonly output = element('div', 'c1e-model-output');
  private model: LoadedModel | undefined;
  private view: ExplorerView | undefined;
  /** Counts Explore requests, so a slow earlier one never replaces a later one. */
  private requests = 0;

  /**
   * @param context - the model file's document context
   * @param read - reads the weight files (and `vocab.json`) beside it
   */
  constructor(
    private readonly context: DocumentRegistry.Context,
    private readonly read: ReadServerFile
  ) {
    super();
    this.addClass('c1e-model-file');
    this.node.tabIndex = -1;
    const alphabetLabel = element('label', 'c1e-control', 'Alphabet ');
    alphabetLabel.appendChild(this.alphabetInput);
    const sequenceLabel = element('label', 'c1e-control c1e-sequence-label', 'Sequence ');
    sequenceLabel.appendChild(this.sequenceInput);
    this.sequenceInput.rows = 3;
    this.sequenceInput.spellcheck = false;
    this.exploreButton.type = 'button';
    this.randomButton.type = 'button';
    const buttons = element('div', 'c1e-toolbar');
    buttons.append(alphabetLabel, this.exploreButton, this.randomButton);
    this.form.append(this.hint, sequenceLabel, buttons);
    this.form.hidden = true;
    // Typing here is ours, not JupyterLab's shortcuts.
    this.form.dataset.lmSuppressShortcuts = 'true';
    this.form.addEventListener('keydown', event => event.stopPropagation());
    this.node.append(
      element('div', 'c1e-title', context.path),
      this.form,
      this.status,
      this.output
    );
    this.exploreButton.addEventListener('click', () => void this.explore());
    this.randomButton.addEventListener('click', () => {
      this.sequenceInput.value = this.randomSequence();
      void this.explore();
    });
    void context.ready.then(() => this.load());
  }

  private async load(): Promise<void> {
    try {
      const compute = await loadCompute();
      const payload = isKerasFileName(this.context.path)
        ? await compute.readModelFile(await this.fileBase64(), this.context.path)
        : await loadModelFile(
            parseModelFile(this.context.model.toString(), this.context.path),
            path => this.read(path, 'base64')
          );
      const { input, convs } = await compute.inspectModel(payload, this.context.path);
      if (convs.length === 0) {
        throw new ExplorerError('The model has no Conv1D layer; the explorer needs at least one.');
      }
      const labels = input.tokens ? await this.vocabulary() : undefined;
      this.model = { payload, ...input, labels };
      this.alphabetInput.value = ALPHABETS[input.channels ?? 0] ?? '';
      this.alphabetInput.parentElement!.hidden = input.tokens;
      this.hint.textContent = this.describeInput(convs.length);
      this.form.hidden = false;
      this.status.textContent = 'Type a sequence and press Explore.';
      forTests.mark(this.node, { loaded: 'true' });
    } catch (e) {
      this.showError(e);
    }
  }

  /** The model file's bytes as base64: the document's own content when it was read so. */
  private async fileBase64(): Promise<string> {
    return this.context.contentsModel?.format === 'base64'
      ? this.context.model.toString()
      : this.read(this.context.path, 'base64');
  }

  /** The words of token ids from `vocab.json` beside the model, if there is one. */
  private async vocabulary(): Promise<string[] | undefined> {
    const folder = this.context.path.split('/').slice(0, -1).join('/');
    try {
      const words = JSON.parse(await this.read(joinPath(folder, 'vocab.json'), 'text'));
      return Array.isArray(words) && words.every(w => typeof w === 'string') ? words : undefined;
    } catch {
      return undefined; // no vocabulary: token ids are typed as numbers
    }
  }

  private describeInput(convs: number): string {
    const m = this.model!;
    const length = m.length === null ? 'any number of' : String(m.length);
    const ids = m.vocabulary === null ? 'token ids' : `token ids from 0 to ${m.vocabulary - 1}`;
    const what = m.tokens
      ? `${length} tokens: ${m.labels ? 'words of vocab.json, or ' : ''}${ids} separated by spaces`
      : `${length} positions of ${m.channels} channels: symbols of the alphabet (one per channel), ` +
        'or, with the alphabet left empty, one line of numbers per position';
    return `${convs} Conv1D layer${convs === 1 ? '' : 's'}. The model reads ${what}.`;
  }

  private randomSequence(): string {
    const m = this.model;
    if (!m) {
      return '';
    }
    const length = m.length ?? RANDOM_LENGTH;
    const pick = (n: number) => Math.floor(Math.random() * n);
    if (m.tokens) {
      const ids = Array.from({ length }, () => pick(m.vocabulary ?? 2));
      return m.labels ? ids.map(id => m.labels![id]).join(' ') : ids.join(' ');
    }
    const alphabet = this.alphabetInput.value.trim();
    if (alphabet) {
      return Array.from({ length }, () => alphabet[pick(alphabet.length)]).join('');
    }
    return Array.from({ length }, () =>
      Array.from({ length: m.channels ?? 1 }, () => (Math.random() * 2 - 1).toFixed(2)).join(' ')
    ).join('\n');
  }

  /** Shows the explorer for the typed sequence, or says what is wrong with it. */
  private async explore(): Promise<void> {
    const m = this.model;
    if (!m) {
      return;
    }
    const request = ++this.requests;
    try {
      const text = this.sequenceInput.value;
      if (m.tokens && !m.labels && !/^[\d\s,]*$/.test(text)) {
        throw new ExplorerError(
          'This model reads token ids: type whole numbers separated by spaces. To type words, ' +
            'put its vocabulary beside model.json as vocab.json (a JSON list of words, id order).'
        );
      }
      const compute = await loadCompute();
      const sequence = await compute.typedSequence(m.payload, text, {
        alphabet: this.alphabetInput.value.trim(),
        labels: m.labels
      });
      if (request !== this.requests || this.isDisposed) {
        return; // a later Explore is under way
      }
      this.view?.dispose();
      this.status.className = 'c1e-status';
      this.status.textContent = '';
      forTests.mark(this.node, { error: undefined });
      this.view = new ExplorerView({
        version: PAYLOAD_VERSION,
        model: m.payload,
        sequence,
        view: {}
      });
      this.output.replaceChildren(this.view.node);
      await this.view.start();
    } catch (e) {
      if (request === this.requests) {
        this.showError(e);
      }
    }
  }

  private showError(e: unknown): void {
    this.status.className = 'c1e-status c1e-error';
    this.status.textContent = errorMessage(e);
    forTests.mark(this.node, { error: 'true' });
  }

  /** Frees the explorer's views and its maximization worker. */
  dispose(): void {
    this.view?.dispose();
    this.view = undefined;
    super.dispose();
  }
}

/** Makes `ModelFileView`s for "Open With". */
export class ModelFileFactory extends ABCWidgetFactory<IDocumentWidget<ModelFileView>> {
  /**
   * @param options - the factory's name and file types
   * @param read - reads files on the server
   */
  constructor(
    options: DocumentRegistry.IWidgetFactoryOptions<IDocumentWidget<ModelFileView>>,
    private readonly read: ReadServerFile
  ) {
    super(options);
  }

  protected createNewWidget(context: DocumentRegistry.Context): IDocumentWidget<ModelFileView> {
    const content = new ModelFileView(context, this.read);
    // The tab keeps the file's name: JupyterLab renames the file when a document's label
    // changes.
    return new DocumentWidget({ content, context });
  }
}
