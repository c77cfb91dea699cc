/**
 * Parts 3 and 4 against the project's real API server (spec/support/cluster.ts), on
 * loopback: starts the server, creates `--pods` Pods in namespace `bench`, then
 *
 * - part 3 (`sync`): runs sync.bench.ts once per reader variant, each in its own process;
 * - part 4 (`latency`): runs the whole pipeline in latency.bench.ts and PATCHes Pods at
 *   `--rate` changes/s for `--seconds`, stamping each PATCH with the time it was sent.
 *
 * Reports `{ skipped }` instead when the server cannot be built or started.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '../spec/support/cluster.js';
import { BenchApi, SENT_AT, forEachBounded } from './support/api.js';
import { argValue, report, runChild, startChild } from './support/child.js';
import { percentile, wallClock } from './support/measure.js';
import { podManifest } from './support/pods.js';
import type { LatencyResult, SyncResult, SyncVariant } from './support/results.js';

const NAMESPACE = 'bench';
const VARIANTS: readonly SyncVariant[] = ['bare-list', 'paginated', 'streaming', 'informer'];

const podName = (i: number): string => `bench-${i}`;

async function createPods(api: BenchApi, pods: number): Promise<number> {
  await api.create('/api/v1/namespaces', { metadata: { name: NAMESPACE } });
  const t0 = performance.now();
  await forEachBounded(pods, 48, (i) => {
    const pod = podManifest(i, { namespace: NAMESPACE });
    pod.metadata = { ...pod.metadata, name: podName(i) };
    return api.create(`/api/v1/namespaces/${NAMESPACE}/pods`, pod);
  });
  return (performance.now() - t0) / 1000;
}

async function sync(
  infoPath: string,
  pods: number,
): Promise<{ runs: SyncResult[]; failed: string[] }> {
  const runs: SyncResult[] = [];
  const failed: string[] = [];
  for (const variant of VARIANTS) {
    console.log(`[sync] ${variant}`);
    const args = ['--variant', variant, '--cluster', infoPath, '--pods', String(pods)];
    try {
      runs.push(await runChild<SyncResult>('sync.bench.ts', args, { timeoutMs: 10 * 60_000 }));
    } catch (error) {
      failed.push(`${variant}: ${(error as Error).message}`);
    }
  }
  return { runs, failed };
}

/**
 * Sends PATCHes at `rate` per second, round robin over the Pods, each stamped with the time
 * it was sent, and stops starting new ones after `seconds`. Answers when each was answered.
 */
async function sendChanges(api: BenchApi, names: readonly string[], rate: number, seconds: number) {
  const t0 = performance.now();
  const answered = new Map<string, number>();
  let sent = 0;
  await forEachBounded(rate * seconds, 64, async (i) => {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (performance.now() - t0 > seconds * 1000) return;
    const name = names[i % names.length] as string;
    const stamp = String(wallClock());
    const patch = { metadata: { annotations: { [SENT_AT]: stamp } } };
    const path = `/api/v1/namespaces/${NAMESPACE}/pods/${name}`;
    const body = { text: JSON.stringify(patch), type: 'application/merge-patch+json' };
    const { status, text } = await api.send('PATCH', path, body);
    if (status !== 200) throw new Error(`PATCH ${name}: ${status} ${text.slice(0, 200)}`);
    answered.set(stamp, wallClock());
    sent++;
  });
  return { sent, seconds: (performance.now() - t0) / 1000, answered };
}

const summary = (values: readonly number[]) => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  max: values.reduce((a, b) => Math.max(a, b), -Infinity),
});

async function latency(
  api: BenchApi,
  options: { infoPath: string; pods: number; rate: number; seconds: number; timeSpan: number },
): Promise<LatencyResult> {
  const child = startChild<{ type: string; arrivals?: [string, number][] }>('latency.bench.ts', [
    '--cluster',
    options.infoPath,
    '--time-span',
    String(options.timeSpan),
  ]);
  await child.next('ready');
  const names = Array.from({ length: options.pods }, (_, i) => podName(i));
  const { sent, seconds, answered } = await sendChanges(api, names, options.rate, options.seconds);
  // Let the last batch close and reach the processor.
  await new Promise((resolve) => setTimeout(resolve, options.timeSpan + 2000));
  child.send({ type: 'stop' });
  const arrivals = (await child.next('result')).arrivals ?? [];
  await child.exited;
  const total = summary(arrivals.map(([stamp, at]) => at - Number(stamp)));
  const writes = summary([...answered].map(([stamp, at]) => at - Number(stamp)));
  const afterWrite = summary(
    arrivals.flatMap(([stamp, at]) => {
      const answer = answered.get(stamp);
      return answer === undefined ? [] : [at - answer];
    }),
  );
  return {
    batchTimeSpanMs: options.timeSpan,
    targetChangesPerSecond: options.rate,
    durationSeconds: options.seconds,
    sent,
    received: arrivals.length,
    achievedChangesPerSecond: sent / seconds,
    p50Ms: total.p50,
    p99Ms: total.p99,
    maxMs: total.max,
    writeP50Ms: writes.p50,
    writeP99Ms: writes.p99,
    afterWriteP50Ms: afterWrite.p50,
    afterWriteP99Ms: afterWrite.p99,
    method:
      'Each PATCH sets an annotation to the wall-clock time just before it is sent; the ' +
      'processor subtracts it from the time it receives the batch ("total": the API server ' +
      'write, the watch delivery, decoding, redaction and the batch window). "write" is the ' +
      'time until the PATCH was answered; "after write" is from that answer to the processor, ' +
      'the part Tattler and the watch add (it can be negative: the watch event may arrive ' +
      'before the answer).',
  };
}

type Outcome = {
  sync?: SyncResult[];
  latency?: LatencyResult[];
  failed?: string[];
  createSeconds?: number;
};

async function measure(
  api: BenchApi,
  infoPath: string,
  parts: readonly string[],
): Promise<Outcome> {
  const pods = Number(argValue('pods', '20000'));
  console.log(`[e2e] creating ${pods} Pods`);
  const createSeconds = await createPods(api, pods);
  console.log(`[e2e] created ${pods} Pods in ${createSeconds.toFixed(1)} s`);
  const outcome: Outcome = { createSeconds };
  if (parts.includes('sync')) {
    const { runs, failed } = await sync(infoPath, pods);
    outcome.sync = runs;
    if (failed.length > 0) outcome.failed = failed;
  }
  if (parts.includes('latency')) {
    const rate = Number(argValue('rate', '1000'));
    const seconds = Number(argValue('seconds', '10'));
    outcome.latency = [];
    for (const timeSpan of [1000, 100]) {
      console.log(`[latency] ${rate} changes/s for ${seconds} s, batches of ${timeSpan} ms`);
      outcome.latency.push(await latency(api, { infoPath, pods, rate, seconds, timeSpan }));
    }
  }
  return outcome;
}

async function main(): Promise<void> {
  const parts = argValue('parts', 'sync,latency').split(',');
  try {
    const readers = await import('../lib/readers/index.js');
    if (typeof readers.readCluster !== 'function') throw new Error('readCluster is not exported');
  } catch (error) {
    report({ skipped: `Tattler's readers are not available: ${(error as Error).message}` });
    return;
  }
  let cluster: TestCluster;
  try {
    cluster = await startTestCluster({});
  } catch (error) {
    const why = (error as Error).message.split('\n')[0];
    report({ skipped: `the test API server is not available: ${why}` });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tattler-bench-'));
  const infoPath = join(dir, 'cluster.json');
  writeFileSync(infoPath, JSON.stringify(cluster));
  const api = new BenchApi(cluster, 64);
  let outcome: Outcome;
  try {
    outcome = await measure(api, infoPath, parts);
  } finally {
    await api.close();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  report(outcome);
}

await main();
