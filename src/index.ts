/**
 * conv1d-explorer: see what the Conv1D layers of a sequence model have learned.
 *
 * This is the package's main module, used in tslab (TypeScript) notebook cells. The
 * JupyterLab extension lives in `lab/` and is loaded by JupyterLab, not from here.
 */
// First: a missing or unsupported @tensorflow/tfjs is named before anything loads it.
import './kernel/requireTfjs';
export {
  explore,
  loadModel,
  readFasta,
  tslabDisplay,
  useWasmBackend,
  DEFAULT_MAX_PAYLOAD_BYTES
} from './kernel';
export { SUPPORTED_TFJS } from './kernel/requireTfjs';
export type { ExploreOptions, DisplaySink, MimeBundle } from './kernel';
export {
  conv1dLayers,
  featureMaps,
  kernels,
  describeSequence,
  sequenceGeometry,
  ExplorerError,
  DNA,
  PROTEIN,
  maximizeActivation,
  Maximization,
  MAXIMIZATION_DEFAULTS,
  TUTORIAL_PRESET,
  MAX_ITERATIONS,
  BASSET_TRIM_BITS,
  consensusSequence,
  informationContent,
  informativeColumns,
  flattenModel,
  filterMotifs,
  MotifScan,
  bestNgrams,
  tapWords,
  readMeme,
  toMeme,
  filterMotifsAsMotifs,
  jasparMotifs,
  JASPAR_CITATION,
  matchMotifs,
  attributions,
  computeAttributions,
  Attribution,
  ATTRIBUTION_METHODS,
  DEFAULT_STEPS,
  MAX_STEPS,
  MAX_ISM_VARIANTS
} from './core';
export type {
  AttributionMethod,
  AttributionOptions,
  AttributionResult,
  AttributionTarget,
  Baseline,
  Completeness,
  Mutations,
  Conv1DLayerInfo,
  Conv1DKernel,
  FeatureMapOptions,
  SequenceLike,
  SequenceOptions,
  LayerGeometry,
  InputSpan,
  Hyperparameters,
  MaximizeOptions,
  MaximizationResult,
  MaximizationState,
  FilterMotif,
  FilterMotifOptions,
  FilterMotifs,
  NamedSequence,
  SequenceSetItem,
  Site,
  NGram,
  BestNgram,
  TapWords,
  FastaRecord,
  Motif,
  MemeFile,
  MatchOptions,
  MotifMatch,
  QueryMatches
} from './core';
export {
  MIME_TYPE,
  PACKAGE_VERSION,
  PAYLOAD_VERSION,
  MAX_SEQUENCE_POSITIONS,
  decodePayload,
  PayloadError
} from './protocol';
export type { ExplorerPayload } from './protocol';
