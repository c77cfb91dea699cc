/**
 * Runs the demo (`scripts/demo.ts --local`, what `npm run demo` runs) as a child process in
 * a process group of its own, as a terminal runs a foreground job, with a temporary dir of
 * its own, and answers what it printed and what it left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** How the demo ended: its exit code, or the signal that killed it. */
export interface DemoExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DemoProcess {
  readonly child: ChildProcess;
  /** The temporary dir (`TMPDIR`) the demo makes its API server's data dir in. */
  readonly tmp: string;
  readonly stdoutLines: () => readonly string[];
  readonly stderr: () => string;
  /** Resolves once standard error holds `pattern`; rejects when the demo exits first. */
  waitForStderr(pattern: RegExp): Promise<void>;
  /** Resolves once standard output holds `count` lines; rejects when the demo exits first. */
  waitForStdoutLines(count: number): Promise<void>;
  /** Sends `signal` to the demo's whole process group, as a Ctrl-C in a terminal does. */
  signalGroup(signal: NodeJS.Signals): void;
  /** Resolves once the demo has exited and its output is closed. */
  readonly exited: Promise<DemoExit>;
  /** Kills the group and any server it left if still running, and removes the temporary dir. */
  cleanUp(): Promise<void>;
}

/**
 * Starts the demo, its standard output and error piped to this process. A test that closes
 * their reading ends (`child.stdout.destroy()`) does what `| head` does. With `npm`, it runs
 * `npm run --silent demo` instead, which relays the signals it gets to the demo.
 */
export function runDemo(options: { readonly npm?: boolean } = {}): DemoProcess {
  const tmp = mkdtempSync(join(tmpdir(), 'tattler-demo-'));
  const [command, args] = options.npm
    ? ['npm', ['run', '--silent', 'demo']]
    : [process.execPath, ['--import', 'tsx', join('scripts', 'demo.ts'), '--local']];
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: tmp },
  });
  const stdoutLines: string[] = [];
  let stderr = '';
  let done: DemoExit | undefined;
  const checks = new Set<() => void>();
  const recheck = (): void => checks.forEach((check) => check());
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdoutLines.push(line);
    recheck();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    recheck();
  });
  const exited = new Promise<DemoExit>((resolve) =>
    child.on('close', (code, signal) => {
      done = { code, signal };
      resolve(done);
      recheck();
    }),
  );
  const waitFor = (holds: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (holds()) {
          checks.delete(check);
          resolve();
        } else if (done !== undefined) {
          checks.delete(check);
          reject(new Error(`the demo exited (${JSON.stringify(done)}) before ${what}:\n${stderr}`));
        }
      };
      checks.add(check);
      check();
    });
  return {
    child,
    tmp,
    stdoutLines: () => stdoutLines,
    stderr: () => stderr,
    waitForStderr: (pattern) => waitFor(() => pattern.test(stderr), `printing ${pattern}`),
    waitForStdoutLines: (count) =>
      waitFor(() => stdoutLines.length >= count, `printing ${count} lines`),
    signalGroup: (signal) => process.kill(-child.pid!, signal),
    exited,
    async cleanUp() {
      if (done === undefined) {
        process.kill(-child.pid!, 'SIGKILL');
        await exited;
      }
      // A server the demo failed to stop would write into its data dir after the removal.
      for (const pid of leftServers({ tmp })) process.kill(pid, 'SIGKILL');
      rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** The API server data dirs left in the demo's temporary dir. */
export function leftDataDirs(demo: Pick<DemoProcess, 'tmp'>): string[] {
  return readdirSync(demo.tmp).filter((name) => name.startsWith('tattler-apiserver-'));
}

/** The pids of API server processes still running on a data dir in the demo's temporary dir. */
export function leftServers(demo: Pick<DemoProcess, 'tmp'>): number[] {
  const marker = `--data-dir=${join(demo.tmp, 'tattler-apiserver-')}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(join('/proc', pid, 'cmdline'), 'utf8').includes(marker);
      } catch {
        return false; // exited while listing
      }
    })
    .map(Number);
}
