/**
 * Client-side helpers for a test API server: a KubeConfig per user and fresh namespaces.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { TestClusterInfo, TestUser } from './cluster-info.js';

/**
 * Builds a KubeConfig for one user of a test cluster (token auth, the cluster CA embedded).
 *
 * @param info the cluster (a {@link TestClusterInfo} or a running TestCluster)
 * @param user `'admin'` (system:masters) or `'restricted'` (get/list/watch pods and
 *   namespaces only)
 * @param server another URL to reach the same server, e.g. a TCP proxy in front of it; the
 *   serving certificate is valid for 127.0.0.1, ::1 and localhost on any port
 * @returns a KubeConfig whose current context is that user
 * @example
 * const core = kubeConfigFor(sharedCluster(), 'admin').makeApiClient(CoreV1Api);
 */
export function kubeConfigFor(
  info: Pick<TestClusterInfo, 'server' | 'caFile' | 'tokens'>,
  user: TestUser,
  server: string = info.server,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'tattler-test',
        server,
        caData: readFileSync(info.caFile).toString('base64'),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: user, token: info.tokens[user] }],
    contexts: [{ name: user, cluster: 'tattler-test', user, namespace: 'default' }],
    currentContext: user,
  });
  return kc;
}

function dnsLabel(prefix: string): string {
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${cleaned || 'test'}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a namespace with a fresh unique name (`<prefix>-<8 hex digits>`), labelled
 * `tattler.test/namespace=true`.
 *
 * Rejects when the user may not create namespaces (use the admin KubeConfig).
 *
 * @param kc an admin KubeConfig of the test cluster
 * @param prefix start of the name; turned into a valid DNS label; default `'test'`
 * @returns the namespace name
 * @example
 * const ns = await createTestNamespace(kubeConfigFor(sharedCluster(), 'admin'), 'reader');
 *
 * Gotchas: without a namespace controller a deleted namespace stays Terminating forever, with
 * its objects; unique names keep test files apart.
 */
export async function createTestNamespace(kc: KubeConfig, prefix = 'test'): Promise<string> {
  const name = dnsLabel(prefix);
  await kc.makeApiClient(CoreV1Api).createNamespace({
    body: { metadata: { name, labels: { 'tattler.test/namespace': 'true' } } },
  });
  return name;
}
