/**
 * Where `npm run cluster:up` keeps its background server: `.cache/cluster/` in the repository
 * (ignored by git) holds the state file, the logs and, by default, the data dir.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestClusterInfo } from '../spec/support/cluster.js';

export const clusterStateDir = fileURLToPath(new URL('../.cache/cluster/', import.meta.url));
export const clusterStateFile = join(clusterStateDir, 'state.json');
export const defaultDataDir = join(clusterStateDir, 'data');

/** Whether a process with this id exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running background server, if any. */
export function runningCluster(): TestClusterInfo | undefined {
  if (!existsSync(clusterStateFile)) return undefined;
  const info = JSON.parse(readFileSync(clusterStateFile, 'utf8')) as TestClusterInfo;
  return isAlive(info.pid) ? info : undefined;
}
