/**
 * The public `conv1d-explorer/core` entry: the analyses, DOM-free, on tfjs, the same in
 * Node (the kernel) and in the browser. Only what a user of the analyses calls is listed
 * here; the package's own modules import each other directly, so helpers such as the
 * row-wise convolution or the Keras translation stay internal.
 */
export { ExplorerError } from './errors';
export {
  conv1dLayers,
  describeConv1D,
  findConv1D,
  type Conv1DLayerInfo,
  type Conv1DPadding
} from './layers';
export {
  checkSequenceLength,
  minimumSequenceLength,
  sequenceGeometry,
  windowOutput,
  type InputSpan,
  type LayerGeometry,
  type Window1D
} from './geometry';
export { DNA, PROTEIN, RNA } from './alphabets';
export {
  channelNames,
  describeSequence,
  sequenceLength,
  sequenceSymbols,
  sequenceTensor,
  type ModelInput,
  type SequenceLike,
  type SequenceOptions
} from './input';
export {
  checkWeightsFinite,
  computeFeatureMaps,
  featureMaps,
  kernels,
  type Conv1DKernel,
  type FeatureMap,
  type FeatureMapOptions
} from './analyses';
export {
  ADAM,
  MAXIMIZATION_DEFAULTS,
  MAX_ITERATIONS,
  TUTORIAL_PRESET,
  type Hyperparameters,
  type MaximizeOptions
} from './maximizationOptions';
export { Maximization, type MaximizationState } from './maximization';
export { maximizationResults, maximizeActivation, type MaximizationResult } from './maximize';
export { BASSET_TRIM_BITS, consensusSequence, informationContent, informativeColumns } from './pwm';
export {
  MotifScan,
  filterMotifs,
  type FilterMotif,
  type FilterMotifOptions,
  type FilterMotifs
} from './filterMotifs';
export type { NGram, Site, SiteSummary } from './siteCounts';
export {
  readSequenceSet,
  type NamedSequence,
  type SequenceSet,
  type SequenceSetItem
} from './sequenceSet';
export {
  bestNgrams,
  tapWords,
  type BestNgram,
  type BestNgramOptions,
  type TapWords
} from './bestNgrams';
export {
  disposeModel,
  flattenModel,
  modelFromPayload,
  modelToPayload,
  type WeightEncoding
} from './serialize';
export { readFasta, type FastaRecord } from './fasta';
export { readMeme, type MemeFile, type Motif } from './meme';
export { filterMotifsAsMotifs, toMeme, type MemeWriteOptions } from './memeWrite';
export { JASPAR_CITATION, jasparMotifs } from './jaspar';
export {
  MATCH_DEFAULTS,
  matchMotifs,
  type ColumnScore,
  type MatchOptions,
  type MotifMatch,
  type NamedPwm,
  type QueryMatches
} from './tomtom';
export { readModelBytes } from './kerasFiles';
export { buildLayersModel, type LoadedArtifacts } from './modelBuild';
export {
  ATTRIBUTION_METHODS,
  DEFAULT_STEPS,
  MAX_ISM_VARIANTS,
  MAX_STEPS,
  type AttributionMethod,
  type AttributionOptions,
  type AttributionTarget,
  type Baseline
} from './attributionOptions';
export {
  Attribution,
  attributions,
  computeAttributions,
  type AttributionResult,
  type Completeness,
  type Mutations
} from './attributions';
