/**
 * Jest global setup of the e2e project: builds the test API server if needed and starts one
 * for the whole run. Its info goes to a file named by `TATTLER_TEST_CLUSTER`, which test files
 * read through `sharedCluster()`. When `TATTLER_TEST_CLUSTER` is already set (e.g. to the
 * state file of `npm run cluster:up`), that cluster is used and none is started.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedClusterEnv, startTestCluster, type TestCluster } from './cluster.js';

/** What the teardown needs; global setup and teardown run in the same process. */
export interface GlobalCluster {
  readonly cluster: TestCluster;
  readonly file: string;
}

declare global {
  var tattlerGlobalCluster: GlobalCluster | undefined;
}

export default async function setup(): Promise<void> {
  if (process.env[sharedClusterEnv]) return;
  const cluster = await startTestCluster();
  const file = join(tmpdir(), `tattler-e2e-cluster-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(cluster));
  process.env[sharedClusterEnv] = file;
  globalThis.tattlerGlobalCluster = { cluster, file };
}
