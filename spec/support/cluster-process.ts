/**
 * Runs one test API server process and waits for its ready line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestClusterInfo } from './cluster-info.js';

/** How to start a test API server. Every field is optional. */
export interface TestClusterOptions {
  /** Reuse this data dir (etcd data, certificates, tokens); default: a fresh temporary dir. */
  readonly dataDir?: string;
  /** API server port on 127.0.0.1; default: a free port. */
  readonly port?: number;
  /** Serve lists and watches from the watch cache (kube-apiserver `--watch-cache`); default true. */
  readonly watchCache?: boolean;
  /**
   * How often kube-apiserver compacts etcd: a Go duration such as `'30s'`, or milliseconds;
   * `0` disables it. Default `'5m'`. Use {@link compactCluster} to compact on demand.
   */
  readonly etcdCompactionInterval?: string | number;
  /** Extra kube-apiserver flags, e.g. `['--max-requests-inflight=5']`. */
  readonly apiserverArgs?: readonly string[];
  /** Log verbosity of the server on stderr: -1 errors only (default), 0 info, 2+ debug. */
  readonly verbosity?: number;
  /** Copy the server's stderr to this process's stderr (default: `TATTLER_APISERVER_LOG` set). */
  readonly showLogs?: boolean;
  /** Give up waiting for the ready line after this long; default 180 000 ms. */
  readonly startTimeoutMs?: number;
  /**
   * Run the server in a process group of its own (default false), so that a Ctrl-C in a
   * terminal, which goes to the whole foreground group, reaches only this process, which then
   * decides when to stop the server. The server still stops when this process exits.
   */
  readonly ownProcessGroup?: boolean;
  /**
   * Called with the server's pid as soon as it is spawned, before it is ready: for a caller
   * that must kill it synchronously while it starts (on a second Ctrl-C).
   */
  readonly onSpawn?: (pid: number) => void;
}

/** A started server process and what it printed when ready. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly info: TestClusterInfo;
}

function durationArg(value: string | number): string {
  return typeof value === 'number' ? `${Math.round(value)}ms` : value;
}

/** The command-line flags of the Go binary for these options. */
export function serverArgs(dataDir: string, options: TestClusterOptions): string[] {
  const args = [`--data-dir=${dataDir}`, `--v=${options.verbosity ?? -1}`];
  if (options.port !== undefined) args.push(`--port=${options.port}`);
  if (options.watchCache !== undefined) args.push(`--watch-cache=${options.watchCache}`);
  if (options.etcdCompactionInterval !== undefined) {
    args.push(`--etcd-compaction-interval=${durationArg(options.etcdCompactionInterval)}`);
  }
  for (const arg of options.apiserverArgs ?? []) args.push(`--apiserver-arg=${arg}`);
  return args;
}

function waitForReadyLine(child: ChildProcess, timeoutMs: number, stderrTail: () => string) {
  return new Promise<TestClusterInfo>((resolve, reject) => {
    let buffered = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`test API server ${why}\n--- its stderr (tail) ---\n${stderrTail()}`));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`was not ready within ${timeoutMs} ms`);
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as TestClusterInfo);
      } catch (err) {
        reject(err as Error);
      }
    });
    child.once('exit', (code, signal) => fail(`exited before ready (code ${code}, ${signal})`));
    child.once('error', (err) => fail(`could not start: ${err.message}`));
  });
}

/**
 * Starts the binary and resolves with its ready line. The server shuts down by itself when
 * this process exits (it watches its standard input).
 */
export async function spawnServer(
  binary: string,
  dataDir: string,
  options: TestClusterOptions,
): Promise<ServerProcess> {
  const args = [...serverArgs(dataDir, options), '--stop-on-stdin-eof'];
  const child = spawn(binary, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const showLogs = options.showLogs ?? Boolean(process.env.TATTLER_APISERVER_LOG);
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-8000);
    if (showLogs) process.stderr.write(chunk);
  });
  const info = await waitForReadyLine(child, options.startTimeoutMs ?? 180_000, () => tail);
  child.removeAllListeners('exit');
  return { child, info };
}

/**
 * Stops a server with SIGTERM (SIGKILL after `graceMs`) and resolves once it has exited.
 */
export async function stopServer(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
