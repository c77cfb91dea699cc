/**
 * Jest global teardown of the e2e project: stops the server the global setup started.
 */
import { rmSync } from 'node:fs';
import type { GlobalCluster } from './cluster-global-setup.js';

export default async function teardown(): Promise<void> {
  const started: GlobalCluster | undefined = globalThis.tattlerGlobalCluster;
  if (!started) return;
  globalThis.tattlerGlobalCluster = undefined;
  await started.cluster.stop();
  rmSync(started.file, { force: true });
  delete process.env[started.env];
}
