/**
 * Jest global setup of the e2e project: builds the test API server if needed and starts one
 * for the whole run. Its info goes to a file named by `TATTLER_TEST_CLUSTER`, which test files
 * read through `sharedCluster()`. When `TATTLER_TEST_CLUSTER` is already set (e.g. to the
 * state file of `npm run cluster:up`), that cluster is used and none is started.
 *
 * Jest loads global setup and teardown files with Node's own loader, outside ts-jest's module
 * mapping, so `./cluster.js` would not resolve to `cluster.ts` here: tsx loads it instead.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type { TestCluster } from './cluster.js';

/** The cluster module, loaded through tsx. */
export type ClusterModule = typeof import('./cluster.js');

/** What the teardown needs; global setup and teardown run in the same process. */
export interface GlobalCluster {
  readonly cluster: TestCluster;
  readonly file: string;
  readonly env: string;
}

declare global {
  var tattlerGlobalCluster: GlobalCluster | undefined;
}

export default async function setup(): Promise<void> {
  const { sharedClusterEnv, startTestCluster } = (await tsImport(
    './cluster.ts',
    import.meta.url,
  )) as ClusterModule;
  if (process.env[sharedClusterEnv]) return;
  const cluster = await startTestCluster();
  const file = join(tmpdir(), `tattler-e2e-cluster-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(cluster));
  process.env[sharedClusterEnv] = file;
  globalThis.tattlerGlobalCluster = { cluster, file, env: sharedClusterEnv };
}
