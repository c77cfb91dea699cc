/**
 * What the demo (`scripts/demo.ts`) creates on the local API server, and the scripted
 * changes it then makes while tattler watches.
 */
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';

/** One scripted change: what the narration says, and the change itself. */
export interface DemoStep {
  readonly text: string;
  readonly run: () => Promise<unknown>;
}

/** Creates two namespaces, two nodes, two pods with secret-looking env values and a Secret. */
export async function createWorkload(admin: KubeConfig): Promise<void> {
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

/** The changes made while tattler runs: an update, a creation, a deletion, a Secret update. */
export function demoSteps(admin: KubeConfig): readonly DemoStep[] {
  const core = admin.makeApiClient(CoreV1Api);
  return [
    {
      text: 'Update: label pod checkout-0 with version=2.',
      run: () => relabel(core, 'checkout-0'),
    },
    {
      text: 'Create: pod checkout-1, with a secret-looking env value.',
      run: () => core.createNamespacedPod({ namespace: 'shop', body: pod('checkout-1') }),
    },
    {
      text: 'Delete: pod checkout-0.',
      run: () =>
        core.deleteNamespacedPod({ name: 'checkout-0', namespace: 'shop', gracePeriodSeconds: 0 }),
    },
    {
      text:
        'Update: the Secret shop/db gets a new password. tattler reads Secrets as metadata\n' +
        '   only by default, so the password never leaves the API server.',
      run: () => rotateSecret(core),
    },
  ];
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
