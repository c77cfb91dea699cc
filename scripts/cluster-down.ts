/**
 * `npm run cluster:down`: stops the server `npm run cluster:up` started (its data dir stays;
 * `npm run cluster:up -- --fresh` starts over).
 */
import { rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { clusterStateFile, isAlive, runningCluster } from './cluster-state.js';

const info = runningCluster();
if (!info) {
  console.log('No test API server is running.');
} else {
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (isAlive(info.pid) && Date.now() < deadline) await delay(100);
  if (isAlive(info.pid)) process.kill(info.pid, 'SIGKILL');
  console.log(`Stopped the test API server (pid ${info.pid}).`);
}
rmSync(clusterStateFile, { force: true });
