/**
 * `npm start`: the first thing to run after `npm ci`.
 *
 * With a cluster at hand (--kubeconfig, KUBECONFIG, ~/.kube/config or a pod's service
 * account), this is the plain `tattler` command with the given flags. Without one (or with
 * `--local`, which `npm run demo` passes), it starts the project's own local API server
 * (built with Go on first use), creates a small workload, runs tattler to standard output
 * and makes a few scripted changes, so that creation, update and deletion flow through with
 * env values redacted and Secrets read as metadata only. It then stops by itself; Ctrl-C or SIGTERM stops it
 * earlier, at any point, and the local API server is always stopped and its data dir (which
 * holds its admin token and certificates) removed.
 *
 * Standard output carries only the NDJSON lines; the narration and logs go to standard
 * error, so `npm start --silent | jq -c '{change, kind, name}'` shows just the changes.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseConfig } from '../lib/config/load-config.js';
import { detectClusterAccess } from '../lib/cli/cluster-access.js';
import { runCommand } from '../lib/cli/command.js';
import { createCliLogger } from '../lib/cli/logging.js';
import { CliMetrics } from '../lib/cli/metrics.js';
import { runTattler } from '../lib/cli/run.js';
import { onShutdownSignal, ShutdownRequest } from '../lib/cli/signals.js';
import { StatusLine } from '../lib/cli/status-line.js';
import { apiServerBinaryPath } from '../spec/support/cluster-binary.js';
import {
  ensureApiServerBinary,
  kubeConfigFor,
  startTestCluster,
  type TestCluster,
} from '../spec/support/cluster.js';
import { DemoOutput } from './demo-output.js';
import { createWorkload, demoSteps } from './demo-workload.js';

const output = new DemoOutput();
const say = (text: string): void => output.say(text);

/** Waits `ms`, or less when `stop` aborts. */
const pause = (ms: number, stop: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal: stop }).catch(() => undefined);

const args = process.argv.slice(2);
const local = args.includes('--local');
const clusterGiven =
  args.some((arg) => arg === '--kubeconfig' || arg.startsWith('--kubeconfig=')) ||
  detectClusterAccess({ inCluster: 'auto' }).type !== 'none';

if (clusterGiven && !local) {
  process.exitCode = await runCommand(process.argv);
} else {
  process.exitCode = await demo();
}

/** What a stop must undo, as far as the start of the local API server got. */
interface LocalServer {
  dataDir?: string;
  /** Set from the spawn until the server has exited. */
  pid?: number;
}

async function demo(): Promise<number> {
  // Installed before anything is started. A Ctrl-C in a terminal comes as several signals
  // within milliseconds (the terminal's to the whole process group, and npm's relayed copy),
  // which onShutdownSignal takes as one request; a one-shot listener would be gone by the
  // second, whose default action kills the process and leaves the data dir behind.
  const shutdown = new ShutdownRequest();
  const stop = new AbortController();
  const server: LocalServer = {};
  shutdown.onRequest((reason) => {
    const hint =
      reason === 'SIGINT'
        ? ' (press Ctrl-C again to exit at once)'
        : reason.startsWith('SIG')
          ? ' (a second signal exits at once)'
          : '';
    say(`${reason}: stopping${hint}.`);
    stop.abort();
  });
  shutdown.onAbandon(() => abandonServer(server));
  onShutdownSignal(
    (signal) => shutdown.request(signal),
    () => shutdown.abandon(),
  );
  // A reader that goes away (`| head`) ends the demo as a stop does, with 0; a write that
  // fails otherwise (a full disk) loses output, and ends it with 1.
  let outputFailed = false;
  output.onEnd((end) => {
    if (!end.closed) {
      outputFailed = true;
      say(`Cannot write to ${end.stream} (${end.code ?? 'unknown error'}): output was lost.`);
    }
    shutdown.request(`${end.stream} closed`);
  });
  const code = await startAndRun(server, stop.signal);
  return outputFailed ? 1 : code;
}

/** Builds the local API server if needed, then runs the demo on it, unless stopped first. */
async function startAndRun(server: LocalServer, stop: AbortSignal): Promise<number> {
  say(
    local
      ? 'Demo on the local API server (--local).'
      : 'No cluster found (no --kubeconfig, KUBECONFIG, ~/.kube/config or service account),\n' +
          "   so this demo runs against the project's own local Kubernetes API server.",
  );
  try {
    if (!existsSync(apiServerBinaryPath())) {
      say(
        'Building the local API server with Go: this first run takes a few minutes (cached after).',
      );
    }
    await ensureApiServerBinary();
  } catch (error) {
    if (!(await stoppedBy(stop))) throw error;
  }
  if (stop.aborted) {
    say('Stopped before the local API server was started.');
    return 0;
  }
  const code = await withLocalServer(server, stop);
  if (code === 0 && !stop.aborted) {
    say(
      'That was tattler. Next: `npm run --silent tattler -- --kubeconfig ~/.kube/config ' +
        '--kinds Pod`\n   against your own cluster, or see docs/cli.md and examples/tattler.yaml.',
    );
  }
  return code;
}

/** Starts the local API server, runs the demo on it, and always stops it and removes its data. */
async function withLocalServer(server: LocalServer, stop: AbortSignal): Promise<number> {
  say('Starting the local API server.');
  const dataDir = mkdtempSync(join(tmpdir(), 'tattler-apiserver-'));
  server.dataDir = dataDir;
  let cluster: TestCluster | undefined;
  try {
    // In its own process group, so that a Ctrl-C does not stop it under the running tattler:
    // the demo stops tattler first, then the server.
    cluster = await startTestCluster({
      dataDir,
      ownProcessGroup: true,
      onSpawn: (pid) => (server.pid = pid),
    }).catch(async (error: unknown) => {
      if (await stoppedBy(stop)) return undefined;
      throw error;
    });
    if (cluster === undefined || stop.aborted) return 0;
    const admin = kubeConfigFor(cluster, 'admin');
    say(`API server up at ${cluster.server}. Creating namespaces, nodes, pods and a Secret.`);
    await createWorkload(admin);
    if (stop.aborted) return 0;
    return await watchAndChange(admin, stop);
  } finally {
    // Also when the start failed: a signal to this process group can reach the server between
    // its spawn and its move to a group of its own, and end it before it is ready.
    if (cluster !== undefined || server.pid !== undefined) {
      say('Stopping the local API server and removing its data dir.');
      await cluster?.stop();
    }
    server.pid = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Whether a start-up failure is the stop: a Ctrl-C reaches `go env` and `go build` as well,
 * which then fail, often before this process has handled the same signal.
 */
async function stoppedBy(stop: AbortSignal): Promise<boolean> {
  // The signal is pending by then: the next turn of the event loop handles it.
  await new Promise((resolve) => setImmediate(resolve));
  return stop.aborted;
}

/** On a second signal, just before the exit: kill the server and remove its data now. */
function abandonServer(server: LocalServer): void {
  say('Second signal: exiting at once; killing the local API server and removing its data.');
  if (server.pid !== undefined) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  if (server.dataDir !== undefined) {
    // Retried: the killed server may still finish a write into it.
    rmSync(server.dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
}

async function watchAndChange(admin: KubeConfig, stop: AbortSignal): Promise<number> {
  const parsed = parseConfig(
    {
      kinds: [{ kind: 'Namespace' }, { kind: 'Node' }, { kind: 'Pod' }, { kind: 'Secret' }],
      batch: { timeSpan: '300ms' },
      logLevel: 'warn',
    },
    'the demo',
  );
  if (parsed._tag === 'Left') throw parsed.left;
  const config = parsed.right;
  const statusLine = new StatusLine();
  const logger = createCliLogger({ level: config.logLevel, statusLine });
  say('Starting tattler: NDJSON on standard output, one line per object and change.');
  const metrics = new CliMetrics();
  const running = runTattler({ config, kubeConfig: admin, logger, metrics, statusLine });
  while (!running.ready() && !stop.aborted) await pause(100, stop);
  await pause(800, stop);

  for (const step of demoSteps(admin)) {
    if (stop.aborted) break;
    say(step.text);
    await step.run();
    await pause(1200, stop);
  }

  say(
    `${stop.aborted ? 'Stopping' : 'Done: stopping'} tattler (readers stop, the last batch ` +
      'is flushed, processors close).',
  );
  await running.stop(5000);
  const outcome = await running.done;
  return outcome === 'stopped' ? 0 : 1;
}
