/**
 * Part 3, one reader per process: times the initial sync of every Pod of the test API server,
 * from the first request to "synced", with CPU seconds and peak RSS.
 *
 * Variants: `paginated` and `streaming` (Tattler's readCluster with that initial list),
 * `informer` (client-node's makeInformer, until `start()` resolves: its list is done and
 * its watch is open) and `bare-list` (a paginated LIST, limit 500, each page drained and
 * parsed, then dropped: the floor).
 *
 *   npx tsx bench/sync.bench.ts --variant paginated --cluster <info.json> --pods 20000
 */
import { CoreV1Api, makeInformer } from '@kubernetes/client-node';
import { firstValueFrom, filter } from 'rxjs';
import { readCluster } from '../lib/readers/index.js';
import { kubeConfigFor, readClusterInfo, type TestClusterInfo } from '../spec/support/cluster.js';
import { BenchApi } from './support/api.js';
import { argValue, report } from './support/child.js';
import { cpuSeconds, peakRss } from './support/measure.js';
import type { SyncResult, SyncVariant } from './support/results.js';

const VARIANTS: readonly SyncVariant[] = ['bare-list', 'paginated', 'streaming', 'informer'];

async function tattlerReader(
  info: TestClusterInfo,
  mode: 'paginated' | 'streaming',
): Promise<number> {
  const reader = readCluster(kubeConfigFor(info, 'admin'), {
    kinds: [{ resource: 'Pod' }],
    initialList: mode,
    pageSize: 500,
    // The floor asks for uncompressed pages too; on loopback, gzip is pure CPU cost.
    compression: false,
  });
  let objects = 0;
  const subscription = reader.entries$.subscribe(() => objects++);
  await firstValueFrom(reader.synced$.pipe(filter((state) => state.all)));
  subscription.unsubscribe();
  return objects;
}

async function informer(info: TestClusterInfo): Promise<number> {
  const kc = kubeConfigFor(info, 'admin');
  const core = kc.makeApiClient(CoreV1Api);
  const pods = makeInformer(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
  let objects = 0;
  pods.on('add', () => objects++);
  await pods.start();
  await pods.stop();
  return objects;
}

async function bareList(info: TestClusterInfo): Promise<number> {
  const api = new BenchApi(info, 1);
  let objects = 0;
  let next: string | undefined = '';
  while (next !== undefined) {
    const query = next === '' ? '' : `&continue=${encodeURIComponent(next)}`;
    const { status, text } = await api.send('GET', `/api/v1/pods?limit=500${query}`);
    if (status !== 200) throw new Error(`LIST pods: ${status} ${text.slice(0, 300)}`);
    const page = JSON.parse(text) as { items: unknown[]; metadata?: { continue?: string } };
    objects += page.items.length;
    next = page.metadata?.continue || undefined;
  }
  await api.close();
  return objects;
}

async function main(): Promise<void> {
  const variant = argValue('variant', 'bare-list') as SyncVariant;
  if (!VARIANTS.includes(variant))
    throw new Error(`--variant must be one of ${VARIANTS.join(', ')}`);
  const info = readClusterInfo(argValue('cluster', ''));
  const pods = Number(argValue('pods', '0'));
  const startRssBytes = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const t0 = performance.now();
  const objects =
    variant === 'bare-list'
      ? await bareList(info)
      : variant === 'informer'
        ? await informer(info)
        : await tattlerReader(info, variant);
  const result: SyncResult = {
    variant,
    pods,
    objects,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpuSeconds(cpuStart),
    peakRssBytes: peakRss(),
    startRssBytes,
  };
  report(result);
}

await main();
