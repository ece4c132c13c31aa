/**
 * What the installed-package test needs outside JupyterLab: commands run with an
 * environment that cannot reach the checkout, a copy of the sources as a fresh clone has
 * them, Jupyter servers of another venv, and the README's first cell.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/** What a command printed, and how it ended. */
export interface RunResult {
  status: number | null;
  stdout: string;
  /** Its stdout and stderr, for messages and for looking for a line. */
  output: string;
}

/**
 * Runs a command to its end.
 *
 * @param command - the program
 * @param args - its arguments
 * @param options - working folder, environment; `allowFailure` returns a failed run instead
 *   of throwing (a run cut off after 8 minutes always throws)
 * @returns what it printed and its exit status
 */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {}
): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 8 * 60_000, // a stuck install or kernel fails the test instead of hanging it
    killSignal: 'SIGKILL'
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || (result.status !== 0 && !options.allowFailure)) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n` +
        output.slice(-4000)
    );
  }
  return { status: result.status, stdout: result.stdout ?? '', output };
}

/**
 * The environment of a researcher's shell: no PATH entry inside the checkout (npm and
 * Playwright put its node_modules/.bin and venv there), no npm settings inherited from the
 * `npm test` that runs us, and Jupyter's per-user folders in the work folder, so only the
 * test venv's kernels and extensions are found.
 *
 * @param root - the checkout
 * @param work - the test's work folder
 * @returns the environment for every command of the test
 */
export function installEnv(root: string, work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|NODE_PATH$|INIT_CWD$|JUPYTER|VIRTUAL_ENV$|PYTHONPATH$)/i.test(key)) {
      env[key] = value;
    }
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(dir => dir && !path.resolve(dir).startsWith(root + path.sep))
    .join(path.delimiter);
  const home = path.join(work, 'jupyter-home');
  env.JUPYTER_CONFIG_DIR = path.join(home, 'config');
  env.JUPYTER_DATA_DIR = path.join(home, 'data');
  env.JUPYTER_RUNTIME_DIR = path.join(home, 'runtime');
  return env;
}

/**
 * Copies the files a fresh clone would have (tracked, and new files not ignored, as they
 * are in the working tree): no node_modules, no lib, no built extension.
 *
 * @param root - the checkout
 * @param dest - where the copy goes
 */
export function snapshotSources(root: string, dest: string): void {
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root
  }).stdout;
  for (const file of listed.split('\0').filter(Boolean)) {
    const from = path.join(root, file);
    if (fs.existsSync(from)) {
      fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
      fs.copyFileSync(from, path.join(dest, file));
    }
  }
}

/** A port nothing listens on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A Jupyter server of the test venv. */
export interface Server {
  url: string;
  /** Shuts its kernels down, then the server; kills what is left after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts `jupyter lab` or `jupyter notebook` without a token on a folder and waits until
 * it answers.
 *
 * @param jupyter - the venv's `jupyter` command
 * @param app - `lab` or `notebook`
 * @param root - the folder it serves
 * @param port - its port on 127.0.0.1
 * @param env - the environment
 * @returns its base URL and a way to stop it
 */
export async function startServer(
  jupyter: string,
  app: 'lab' | 'notebook',
  root: string,
  port: number,
  env: NodeJS.ProcessEnv
): Promise<Server> {
  const logFile = path.join(root, '..', `${app}-server.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    jupyter,
    [
      app,
      '--no-browser',
      '--allow-root',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--ServerApp.token=',
      '--ServerApp.password=',
      `--ServerApp.root_dir=${root}`,
      '--ServerApp.disable_check_xsrf=True'
    ],
    { cwd: root, env, detached: true, stdio: ['ignore', log, log] }
  );
  fs.closeSync(log); // the child has its own descriptor
  let failed: Error | undefined;
  child.on('error', e => (failed = e));
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, name); // the server's process group
    } catch {
      // already gone
    }
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
      return;
    }
    // Kernels run in sessions of their own, outside the server's group: shut them down
    // through the server first.
    try {
      const kernels = (await (await fetch(`${url}/api/kernels`)).json()) as { id: string }[];
      await Promise.all(
        kernels.map(k => fetch(`${url}/api/kernels/${k.id}`, { method: 'DELETE' }))
      );
    } catch {
      // the server no longer answers
    }
    signal('SIGTERM');
    const timer = new Promise<'late'>(resolve => setTimeout(() => resolve('late'), 10_000));
    if ((await Promise.race([exited, timer])) === 'late') {
      signal('SIGKILL');
    }
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (failed || child.exitCode !== null) {
      throw new Error(
        `jupyter ${app} did not start (${failed?.message ?? `exit ${child.exitCode}`}); see ${logFile}`
      );
    }
    try {
      if ((await fetch(`${url}/api/status`)).ok) {
        return { url, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`jupyter ${app} did not answer on ${url} within 90 s; see ${logFile}`);
}

/**
 * The first TypeScript block of the README's "Install in your own project" section: the
 * first cell a researcher runs, tested as written.
 *
 * @param readme - the README's path
 * @returns the cell's source
 */
export function readmeFirstCell(readme: string): string {
  const text = fs.readFileSync(readme, 'utf8');
  const section = text.indexOf('\n## Install in your own project');
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(section));
  if (section < 0 || !block) {
    throw new Error('The README has no "Install in your own project" section with a ts block.');
  }
  return block[1];
}
