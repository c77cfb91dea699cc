/**
 * `npm run cluster:up [-- --port=N --watch-cache=false --etcd-compaction-interval=30s --fresh]`:
 * starts the test API server in the background, writes its ready line to
 * `.cache/cluster/state.json` and prints how to use it. `npm run cluster:down` stops it.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ApiServerBuildError,
  ensureApiServerBinary,
  type TestClusterInfo,
} from '../spec/support/cluster.js';
import { serverArgs } from '../spec/support/cluster-process.js';
import {
  clusterStateDir,
  clusterStateFile,
  defaultDataDir,
  isAlive,
  runningCluster,
} from './cluster-state.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: defaultDataDir },
    port: { type: 'string' },
    'watch-cache': { type: 'string' },
    'etcd-compaction-interval': { type: 'string' },
    v: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
});

function usage(info: TestClusterInfo): string {
  return [
    `Test API server ready at ${info.server} (pid ${info.pid}, data in ${info.dataDir}).`,
    `  export KUBECONFIG=${info.kubeconfigs.admin}        # admin (system:masters)`,
    `  export KUBECONFIG=${info.kubeconfigs.restricted}   # restricted (read pods, namespaces)`,
    `  curl -X POST ${info.controlUrl}/compact            # compact etcd now`,
    `  TATTLER_TEST_CLUSTER=${clusterStateFile} npm run jest -- spec/e2e   # reuse it in tests`,
    `  npm run cluster:down                                # stop it`,
    `Logs: ${join(clusterStateDir, 'apiserver.log')}`,
  ].join('\n');
}

async function waitForReadyLine(stdoutFile: string, pid: number): Promise<TestClusterInfo> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const line = readFileSync(stdoutFile, 'utf8').split('\n')[0] ?? '';
    if (line.trim()) return JSON.parse(line) as TestClusterInfo;
    if (!isAlive(pid)) throw new Error(`the server exited; see ${clusterStateDir}apiserver.log`);
    await delay(200);
  }
  throw new Error(`the server was not ready within 180s; see ${clusterStateDir}apiserver.log`);
}

async function main(): Promise<void> {
  const existing = runningCluster();
  if (existing) {
    console.log(`Already running.\n${usage(existing)}`);
    return;
  }
  const binary = await ensureApiServerBinary();
  const dataDir = values['data-dir'];
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(clusterStateDir, { recursive: true });
  const stdoutFile = join(clusterStateDir, 'stdout.log');
  const out = openSync(stdoutFile, 'w');
  const err = openSync(join(clusterStateDir, 'apiserver.log'), 'a');
  const args = serverArgs(dataDir, {
    port: values.port === undefined ? undefined : Number(values.port),
    watchCache: values['watch-cache'] === undefined ? undefined : values['watch-cache'] !== 'false',
    etcdCompactionInterval: values['etcd-compaction-interval'],
    verbosity: values.v === undefined ? 0 : Number(values.v),
  });
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', out, err] });
  child.unref();
  closeSync(out);
  closeSync(err);
  const info = await waitForReadyLine(stdoutFile, child.pid ?? 0);
  writeFileSync(clusterStateFile, JSON.stringify(info, null, 2));
  console.log(usage(info));
}

main().catch((err: unknown) => {
  console.error(err instanceof ApiServerBuildError ? err.message : err);
  process.exitCode = 1;
});
