/**
 * The best possible inputs of a first-layer filter, exactly. A first-layer filter's
 * pre-activation is its bias plus a sum over its taps, each tap scoring the symbol (one-hot
 * input) or word (after an Embedding: the tap's weights · the word's embedding) at its
 * position. The best k-mer is therefore the best choice at each tap, and the top N are
 * found by merging the taps one after another, keeping the N best partial sums: a prefix
 * of one of the N best k-mers is always among the N best prefixes. The activation is
 * monotone, so the order of the pre-activations is the order of the activations.
 */
import * as tf from '@tensorflow/tfjs';
import { ExplorerError } from './errors';
import { conv1dWeights, describeConv1D, findConv1D } from './layers';
import { DNA } from './alphabets';

/** One of a filter's best inputs. */
export interface BestNgram {
  /** Symbol indices (one-hot) or token ids, one per tap. */
  ids: number[];
  /** The symbols or words (token ids as text without a vocabulary). */
  symbols: string[];
  /** The filter's pre-activation for it (bias included). */
  score: number;
}

/** A kernel tap's best words (Embedding models). */
export interface TapWords {
  tap: number;
  words: { id: number; word: string; score: number }[];
}

/** Options of `bestNgrams`. */
export interface BestNgramOptions {
  /** The Conv1D layer; the first one when omitted. It must read the input (or its Embedding). */
  layer?: string;
  /** How many n-grams per filter (default 10). */
  count?: number;
  /** One-hot symbols, in channel order (default `ACGT`). */
  alphabet?: string;
  /** The vocabulary of an Embedding model. */
  labels?: readonly string[];
}

/** What each tap scores for each symbol or word: `scores[filter][tap][symbol]`. */
interface TapScores {
  scores: number[][][];
  bias: number[];
  names: (id: number) => string;
  /** Whether the symbols are an Embedding's words. */
  words: boolean;
}

/** The layer's tap scores, if it reads the model input directly or through its Embedding. */
function tapScores(model: tf.LayersModel, options: BestNgramOptions): TapScores {
  const layer = findConv1D(model, options.layer);
  const info = describeConv1D(layer);
  // Producers, not names: a Sequential model's InputLayer is not among `model.layers`.
  const producer = layer.inboundNodes[0]?.inboundLayers[0];
  const producerClass = producer?.getClassName();
  const readsInput =
    producerClass === 'InputLayer' ||
    (producerClass === 'Embedding' &&
      producer!.inboundNodes[0]?.inboundLayers[0]?.getClassName() === 'InputLayer');
  if (!readsInput) {
    throw new ExplorerError(
      `Layer ${JSON.stringify(info.name)} reads ${JSON.stringify(producer?.name)} ` +
        `(${producerClass}), not the model's input: the best n-grams are exact only for a ` +
        'first-layer filter (on the one-hot input, or right after an Embedding).'
    );
  }
  const { kernel, bias } = conv1dWeights(layer);
  const biases = bias ? (bias.arraySync() as number[]) : new Array<number>(info.filters).fill(0);
  // `[tap][channel][filter]` → `[filter][tap][symbol]`.
  const perSymbol = tf.tidy(() => {
    if (producerClass === 'Embedding') {
      const table = producer!.getWeights()[0] as tf.Tensor2D; // [vocabulary, dims]
      const [taps, dims, filters] = kernel.shape;
      // [filter · tap, dims] · [vocabulary, dims]ᵀ → [filter, tap, vocabulary]
      const rows = kernel.transpose([2, 0, 1]).reshape([filters * taps, dims]) as tf.Tensor2D;
      return tf.matMul(rows, table, false, true).reshape([filters, taps, table.shape[0]]);
    }
    return kernel.transpose([2, 0, 1]);
  });
  const scores = perSymbol.arraySync() as number[][][];
  perSymbol.dispose();
  if (producerClass === 'Embedding') {
    const labels = options.labels;
    return { scores, bias: biases, names: id => labels?.[id] ?? String(id), words: true };
  }
  const alphabet = options.alphabet ?? DNA;
  if (alphabet.length !== info.inputChannels) {
    throw new ExplorerError(
      `The alphabet ${JSON.stringify(alphabet)} has ${alphabet.length} symbols but layer ` +
        `${JSON.stringify(info.name)} reads ${info.inputChannels} channels.`
    );
  }
  return { scores, bias: biases, names: id => alphabet[id], words: false };
}

/** The `count` best sums of one choice per tap, best first (ties: lower ids first). */
function kBest(taps: number[][], count: number): { ids: number[]; score: number }[] {
  let best: { ids: number[]; score: number }[] = [{ ids: [], score: 0 }];
  for (const tap of taps) {
    // Only a tap's `count` best choices can extend one of the `count` best prefixes.
    const choices = tap
      .map((score, id) => ({ id, score }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, count);
    best = best
      .flatMap(prefix =>
        choices.map(c => ({ ids: [...prefix.ids, c.id], score: prefix.score + c.score }))
      )
      .sort((a, b) => b.score - a.score || compareIds(a.ids, b.ids))
      .slice(0, count);
  }
  return best;
}

function compareIds(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return 0;
}

/**
 * The best possible n-grams of every filter of a first-layer Conv1D: k-mers of the
 * alphabet (one-hot input) or word n-grams (after an Embedding), one symbol per tap, with
 * the filter's pre-activation for each. Exact, not sampled (see the module comment).
 *
 * @param model - the model
 * @param options - layer, how many, alphabet or vocabulary
 * @returns per filter, its best n-grams, best first
 * @throws ExplorerError for a layer that does not read the input, or a bad count
 */
export function bestNgrams(model: tf.LayersModel, options: BestNgramOptions = {}): BestNgram[][] {
  const count = options.count ?? 10;
  if (!Number.isInteger(count) || count < 1) {
    throw new ExplorerError(`count is ${count}: expected a whole number, 1 or more.`);
  }
  const { scores, bias, names } = tapScores(model, options);
  return scores.map((taps, f) =>
    kBest(taps, count).map(({ ids, score }) => ({
      ids,
      symbols: ids.map(names),
      score: score + bias[f]
    }))
  );
}

/**
 * Each kernel tap of an Embedding model's first-layer filters as its best words: the
 * vocabulary's embeddings scored by the tap's weights (a dot product), what a heatmap of
 * `emb0…emb63` cannot show.
 *
 * @param model - a model that starts with an Embedding
 * @param options - layer, words per tap (`count`, default 5), vocabulary
 * @returns per filter, per tap, its best words, best first
 * @throws ExplorerError when the layer does not read an Embedding of the input
 */
export function tapWords(model: tf.LayersModel, options: BestNgramOptions = {}): TapWords[][] {
  const count = options.count ?? 5;
  const { scores, names, words } = tapScores(model, options);
  if (!words) {
    throw new ExplorerError(
      'tapWords is for models that start with an Embedding; for one-hot inputs, the kernel ' +
        'view shows each tap’s weight per symbol.'
    );
  }
  return scores.map(taps =>
    taps.map((tap, t) => ({
      tap: t,
      words: kBest([tap], count).map(({ ids, score }) => ({
        id: ids[0],
        word: names(ids[0]),
        score
      }))
    }))
  );
}
