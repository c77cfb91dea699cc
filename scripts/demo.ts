/**
 * `npm start`: the first thing to run after `npm ci`.
 *
 * With a cluster at hand (--kubeconfig, KUBECONFIG, ~/.kube/config or a pod's service
 * account), this is the plain `tattler` command with the given flags. Without one (or with
 * `--local`, which `npm run demo` passes), it starts the project's own local API server
 * (built with Go on first use), creates a small workload, runs tattler to standard output
 * and makes a few scripted changes, so that creation, update and deletion flow through with
 * env values and Secret data redacted. It then stops by itself; Ctrl-C stops it earlier.
 *
 * Standard output carries only the NDJSON lines; the narration and logs go to standard
 * error, so `npm start --silent | jq -c '{change, kind, name}'` shows just the changes.
 */
import { existsSync } from 'node:fs';
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { parseConfig } from '../lib/config/load-config.js';
import { detectClusterAccess } from '../lib/cli/cluster-access.js';
import { runCommand } from '../lib/cli/command.js';
import { createCliLogger } from '../lib/cli/logging.js';
import { CliMetrics } from '../lib/cli/metrics.js';
import { runTattler } from '../lib/cli/run.js';
import { StatusLine } from '../lib/cli/status-line.js';
import { apiServerBinaryPath } from '../spec/support/cluster-binary.js';
import { ensureApiServerBinary, kubeConfigFor, startTestCluster } from '../spec/support/cluster.js';

const say = (text: string): void => void process.stderr.write(`\n\x1b[1m>> ${text}\x1b[0m\n`);
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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

async function demo(): Promise<number> {
  say(
    local
      ? 'Demo on the local API server (--local).'
      : 'No cluster found (no --kubeconfig, KUBECONFIG, ~/.kube/config or service account),\n' +
          "   so this demo runs against the project's own local Kubernetes API server.",
  );
  if (!existsSync(apiServerBinaryPath())) {
    say(
      'Building the local API server with Go: this first run takes a few minutes (cached after).',
    );
  }
  await ensureApiServerBinary();
  const cluster = await startTestCluster();
  let stopRequested = false;
  const onSignal = (): void => {
    stopRequested = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const admin = kubeConfigFor(cluster, 'admin');
    say(`API server up at ${cluster.server}. Creating namespaces, nodes, pods and a Secret.`);
    await createWorkload(admin);
    return await watchAndChange(admin, () => stopRequested);
  } finally {
    say('Stopping the local API server.');
    await cluster.stop();
  }
}

async function watchAndChange(admin: KubeConfig, stopRequested: () => boolean): Promise<number> {
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
  while (!running.ready()) await pause(100);
  await pause(800);

  const core = admin.makeApiClient(CoreV1Api);
  const steps: [string, () => Promise<unknown>][] = [
    ['Update: label pod checkout-0 with version=2.', () => relabel(core, 'checkout-0')],
    [
      'Create: pod checkout-1, with a secret-looking env value.',
      () => core.createNamespacedPod({ namespace: 'shop', body: pod('checkout-1') }),
    ],
    [
      'Delete: pod checkout-0.',
      () =>
        core.deleteNamespacedPod({ name: 'checkout-0', namespace: 'shop', gracePeriodSeconds: 0 }),
    ],
    [
      'Update: the Secret shop/db gets a new password (its data is removed before anything sees it).',
      () => rotateSecret(core),
    ],
  ];
  for (const [text, step] of steps) {
    if (stopRequested()) break;
    say(text);
    await step();
    await pause(1200);
  }

  say('Done: stopping tattler (readers stop, the last batch is flushed, processors close).');
  await running.stop(5000);
  const outcome = await running.done;
  say(
    'That was tattler. Next: `npm run tattler -- --kubeconfig ~/.kube/config --kinds Pod`\n' +
      '   against your own cluster, or see docs/cli.md and examples/tattler.yaml.',
  );
  return outcome === 'stopped' ? 0 : 1;
}

async function createWorkload(admin: KubeConfig): Promise<void> {
  const core = admin.makeApiClient(CoreV1Api);
  for (const name of ['shop', 'billing']) {
    await core.createNamespace({ body: { metadata: { name, labels: { team: name } } } });
  }
  for (const name of ['node-1', 'node-2']) {
    await core.createNode({ body: { metadata: { name, labels: { zone: 'demo' } } } });
  }
  await core.createNamespacedPod({ namespace: 'shop', body: pod('checkout-0') });
  await core.createNamespacedPod({ namespace: 'billing', body: pod('invoices-0') });
  await core.createNamespacedSecret({
    namespace: 'shop',
    body: { metadata: { name: 'db' }, stringData: { password: 'hunter2' } },
  });
}

function pod(name: string): V1Pod {
  return {
    metadata: { name, labels: { app: name.replace(/-\d+$/, '') } },
    spec: {
      nodeName: 'node-1',
      containers: [
        {
          name: 'app',
          image: 'registry.example/shop:1.0',
          env: [
            { name: 'DATABASE_PASSWORD', value: 'hunter2' },
            { name: 'STRIPE_API_KEY', value: 'sk_live_51Hx0demo0only' },
          ],
        },
      ],
    },
  };
}

async function relabel(core: CoreV1Api, name: string): Promise<void> {
  const current = await core.readNamespacedPod({ name, namespace: 'shop' });
  current.metadata = { ...current.metadata, labels: { ...current.metadata?.labels, version: '2' } };
  await core.replaceNamespacedPod({ name, namespace: 'shop', body: current });
}

async function rotateSecret(core: CoreV1Api): Promise<void> {
  const current = await core.readNamespacedSecret({ name: 'db', namespace: 'shop' });
  current.stringData = { password: 'correct-horse-battery-staple' };
  await core.replaceNamespacedSecret({ name: 'db', namespace: 'shop', body: current });
}
