/**
 * Runs Vega-Lite specs through the real vega-lite and vega, as vega-embed does in the
 * browser: `compile()` (with the light or dark theme's config), `parse()` with the AST for
 * the expression interpreter (the extension never uses `eval`), then a headless `View`
 * (renderer `none`) that runs the dataflow. Also samples colour scales, Vega's against the
 * pictures' (src/lab/colors.ts). A process of its own, started by the unit tests with
 * `node --import tsx` (jest cannot load Vega's ES modules): the job arrives as JSON on
 * stdin, the results leave as JSON on stdout. The jest side is vegaSpecs.test.ts.
 */
import type { LoggerInterface, Spec as VegaSpec, View } from 'vega' with {
  'resolution-mode': 'import'
};
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { pictureColors, type PictureRamp } from '../../src/lab/colors';

/** One spec to compile and run, in one theme (`null`: the light default). */
export interface SpecJob {
  name: string;
  spec: TopLevelSpec;
  theme: 'dark' | null;
}

/** Colours to sample: the spec's scale with this scheme, and the picture's ramp. */
export interface ColorJob {
  name: string;
  spec: TopLevelSpec;
  ramp: PictureRamp;
  values: number[];
}

/** What a run asks for. */
export interface RunnerJob {
  specs: SpecJob[];
  colors: ColorJob[];
}

/** What one spec did in Vega. */
export interface SpecResult {
  name: string;
  theme: 'dark' | null;
  /** The first error thrown by compile, parse or the run, or null. */
  error: string | null;
  /** Warnings and errors Vega-Lite and Vega logged. */
  log: string[];
  /** Names of the compiled spec's top-level data sets, with their rows after the run. */
  rows: { [name: string]: number };
  /** Top-level signals of the compiled spec (selections included). */
  signals: string[];
  /** Every expression string in the compiled Vega spec (`expr`, `signal`, `update`, `test`…). */
  expressions: string[];
  /** The scenegraph's items after the run. */
  items: number;
  /** Each named mark that reads a top-level data set: its items, and those with finite bounds. */
  marks: MarkResult[];
}

/** What one mark drew. */
export interface MarkResult {
  name: string;
  data: string;
  items: number;
  finite: number;
}

/** Vega's and the picture's colour at each sampled value. */
export interface ColorResult {
  name: string;
  error: string | null;
  /** The scale Vega drew with, as compiled. */
  scale: unknown;
  vega: (string | null)[];
  picture: [number, number, number][];
}

type VegaModule = typeof import('vega', { with: { 'resolution-mode': 'import' } });
type VegaLiteModule = typeof import('vega-lite', { with: { 'resolution-mode': 'import' } });

/** The modules, loaded as ES modules. */
interface Modules {
  vega: VegaModule;
  vl: VegaLiteModule;
  themes: { dark: object };
  interpreter: unknown;
}

/** A logger that keeps what it is told. */
function collectingLogger(log: string[]): LoggerInterface {
  let level = 2;
  const logger: LoggerInterface = {
    level: ((value?: number) => {
      if (value === undefined) {
        return level;
      }
      level = value;
      return logger;
    }) as LoggerInterface['level'],
    error: (...args: readonly unknown[]) => (log.push(`error: ${args.join(' ')}`), logger),
    warn: (...args: readonly unknown[]) => (log.push(`warn: ${args.join(' ')}`), logger),
    info: () => logger,
    debug: () => logger
  };
  return logger;
}

/** Keys whose string values Vega reads as expressions. */
const EXPRESSION_KEYS = new Set(['expr', 'signal', 'update', 'test', 'filter', 'init']);

/** Every expression string in a compiled Vega spec (inline data values left out). */
function vegaExpressions(spec: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (key === 'values') {
      return;
    }
    if (typeof v === 'string') {
      if (EXPRESSION_KEYS.has(key)) {
        found.push(v);
      }
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        walk(x, Array.isArray(v) ? key : k);
      }
    }
  };
  walk(spec, '');
  return found;
}

/** Compiles, parses and runs one spec headless. */
async function runSpec(m: Modules, job: SpecJob): Promise<SpecResult> {
  const log: string[] = [];
  const result: SpecResult = {
    name: job.name,
    theme: job.theme,
    error: null,
    log,
    rows: {},
    signals: [],
    expressions: [],
    items: 0,
    marks: []
  };
  let view: View | undefined;
  try {
    const logger = collectingLogger(log);
    const config = job.theme ? m.themes[job.theme] : undefined;
    const compiled = m.vl.compile(job.spec, { config, logger }).spec as VegaSpec;
    result.expressions = vegaExpressions(compiled);
    result.signals = (compiled.signals ?? []).map(s => s.name);
    view = new m.vega.View(m.vega.parse(compiled, {}, { ast: true }), {
      renderer: 'none',
      logger,
      expr: m.interpreter as never
    });
    await view.runAsync();
    for (const data of compiled.data ?? []) {
      result.rows[data.name] = view.data(data.name).length;
    }
    const root = (view.scenegraph() as unknown as { root: SceneNode }).root;
    result.items = countItems(root);
    result.marks = drawnMarks(root, markSources(compiled.marks ?? []), result.rows);
  } catch (e) {
    result.error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  } finally {
    view?.finalize();
  }
  return result;
}

/** A node of Vega's scenegraph: a mark with its items, or an item with its bounds. */
interface SceneNode {
  marktype?: string;
  name?: string;
  items?: SceneNode[];
  bounds?: { x1: number; y1: number; x2: number; y2: number };
}

/** The top-level data set each named mark reads (marks inside groups included). */
function markSources(marks: readonly unknown[]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const mark of marks as { name?: string; from?: { data?: string }; marks?: unknown[] }[]) {
    if (mark.name && mark.from?.data) {
      sources.set(mark.name, mark.from.data);
    }
    for (const [name, data] of markSources(mark.marks ?? [])) {
      sources.set(name, data);
    }
  }
  return sources;
}

/**
 * The items each mark drew that reads a top-level data set (not a facet, not another
 * mark), and how many of them have finite bounds.
 */
function drawnMarks(
  root: SceneNode,
  sources: Map<string, string>,
  topLevel: { [name: string]: number }
): MarkResult[] {
  const found: MarkResult[] = [];
  const walk = (node: SceneNode): void => {
    const data = node.name === undefined ? undefined : sources.get(node.name);
    if (node.marktype && node.marktype !== 'group' && data !== undefined && data in topLevel) {
      const items = node.items ?? [];
      const finite = items.filter(
        i => i.bounds && [i.bounds.x1, i.bounds.y1, i.bounds.x2, i.bounds.y2].every(Number.isFinite)
      ).length;
      found.push({ name: node.name!, data, items: items.length, finite });
    }
    (node.items ?? []).forEach(walk);
  };
  walk(root);
  return found;
}

/** Scenegraph items under a node. */
function countItems(node: unknown): number {
  const n = node as { items?: unknown[] } | null;
  return (n?.items ?? []).reduce<number>((sum, item) => sum + 1 + countItems(item), 0);
}

/** The compiled spec's top-level scale with a scheme, or null. */
function schemeScale(spec: VegaSpec, scheme: string): { name: string } | null {
  for (const scale of spec.scales ?? []) {
    const range = (scale as { range?: { scheme?: unknown } }).range;
    if (range && typeof range === 'object' && range.scheme === scheme) {
      return scale;
    }
  }
  return null;
}

/** Vega's colours (the spec's own scale, after a run) and the picture's, at some values. */
async function runColors(m: Modules, job: ColorJob): Promise<ColorResult> {
  const result: ColorResult = { name: job.name, error: null, scale: null, vega: [], picture: [] };
  let view: View | undefined;
  try {
    const compiled = m.vl.compile(job.spec).spec as VegaSpec;
    const scale = schemeScale(compiled, job.ramp.scheme);
    if (!scale) {
      throw new Error(`no top-level scale with the scheme ${job.ramp.scheme}`);
    }
    result.scale = scale;
    view = new m.vega.View(m.vega.parse(compiled, {}, { ast: true }), {
      renderer: 'none',
      expr: m.interpreter as never
    });
    await view.runAsync();
    const vegaScale = view.scale(scale.name) as (v: number) => string | undefined;
    const picture = pictureColors(m.vega, job.ramp);
    result.vega = job.values.map(v => vegaScale(v) ?? null);
    result.picture = job.values.map(v => [...picture(v)] as [number, number, number]);
  } catch (e) {
    result.error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  } finally {
    view?.finalize();
  }
  return result;
}

/** Reads stdin to its end. */
async function readInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const job = JSON.parse(await readInput()) as RunnerJob;
  const [vega, vl, themes, interpreter] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('vega-themes'),
    import('vega-interpreter')
  ]);
  const m: Modules = { vega, vl, themes, interpreter: interpreter.expressionInterpreter };
  const specs: SpecResult[] = [];
  for (const spec of job.specs) {
    specs.push(await runSpec(m, spec));
  }
  const colors: ColorResult[] = [];
  for (const color of job.colors) {
    colors.push(await runColors(m, color));
  }
  process.stdout.write(JSON.stringify({ specs, colors }));
}

if (require.main === module) {
  main().catch(e => {
    process.stderr.write(String(e instanceof Error ? e.stack : e));
    process.exit(1);
  });
}
