/**
 * What a running test API server tells its clients: the ready line it prints, also stored in
 * a JSON file so other processes (Jest workers, the demo) can find the server.
 */
import { readFileSync } from 'node:fs';

/** The users a test server knows: `admin` (system:masters) and `restricted` (read pods/namespaces). */
export type TestUser = 'admin' | 'restricted';

/** A running test API server, as plain data (serialisable to JSON). */
export interface TestClusterInfo {
  /** The API server URL, e.g. `https://127.0.0.1:41234`. */
  readonly server: string;
  readonly port: number;
  /** Paths of ready-to-use kubeconfig files, one per user, with the CA embedded. */
  readonly kubeconfigs: Readonly<Record<TestUser, string>>;
  /** Bearer tokens of the users. */
  readonly tokens: Readonly<Record<TestUser, string>>;
  /** The CA certificate (PEM file) that signed the serving certificate. */
  readonly caFile: string;
  /** etcd data, certificates, tokens and kubeconfigs live here. */
  readonly dataDir: string;
  /** The loopback control endpoint (`POST /compact`, `GET /revision`). */
  readonly controlUrl: string;
  readonly etcdUrl: string;
  readonly watchCache: boolean;
  readonly pid: number;
  /** Milliseconds from process start to ready. */
  readonly startupMs: number;
}

/** The environment variable holding the path of the shared cluster's info file. */
export const sharedClusterEnv = 'TATTLER_TEST_CLUSTER';

/**
 * Reads a {@link TestClusterInfo} from a JSON file.
 *
 * @param path the file written by the e2e global setup or `npm run cluster:up`
 * @returns the info it holds
 */
export function readClusterInfo(path: string): TestClusterInfo {
  return JSON.parse(readFileSync(path, 'utf8')) as TestClusterInfo;
}

/**
 * Returns the cluster shared by a test run: the one the e2e global setup started (or the one
 * named by `TATTLER_TEST_CLUSTER`, e.g. `.cache/cluster/state.json` of `npm run cluster:up`).
 *
 * Throws when no shared cluster is known.
 *
 * @returns the shared cluster's info
 * @example
 * const kc = kubeConfigFor(sharedCluster(), 'admin');
 */
export function sharedCluster(): TestClusterInfo {
  const path = process.env[sharedClusterEnv];
  if (!path) {
    throw new Error(
      `No shared test cluster: ${sharedClusterEnv} is not set. Run the test through the e2e ` +
        'Jest project (its global setup starts one), or start one with `npm run cluster:up` ' +
        `and set ${sharedClusterEnv}=.cache/cluster/state.json.`,
    );
  }
  return readClusterInfo(path);
}

/**
 * Compacts the cluster's etcd to its current revision now, so every older resourceVersion
 * is gone (`410 Gone` for watches and lists that ask for one, once the watch cache no longer
 * holds it; start the server with `watchCache: false` to get 410 at once).
 *
 * @param info the cluster
 * @returns the revision compacted to
 */
export async function compactCluster(info: Pick<TestClusterInfo, 'controlUrl'>): Promise<number> {
  const res = await fetch(`${info.controlUrl}/compact`, { method: 'POST' });
  const body = (await res.json()) as { revision?: number; error?: string };
  if (!res.ok || body.revision === undefined) {
    throw new Error(`compaction failed: ${res.status} ${body.error ?? ''}`);
  }
  return body.revision;
}
