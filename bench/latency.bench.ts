/**
 * Part 4, the receiving side: runs the whole Tattler pipeline on the Pods of the test API
 * server and records, for every change that carries the `bench.tattler.io/sent-at`
 * annotation, how long it took from the moment the sender sent the PATCH to the moment a
 * processor got the batch holding it.
 *
 * Talks to e2e.bench.ts in messages: sends `ready` once the initial state is synced, and on
 * `stop` sends `result` and exits.
 *
 *   node --import tsx bench/latency.bench.ts --cluster <info.json> --time-span 1000
 */
import { filter, firstValueFrom } from 'rxjs';
import type { Processor } from '../lib/index.js';
import { tattler } from '../lib/pipeline/index.js';
import { readCluster } from '../lib/readers/index.js';
import { kubeConfigFor, readClusterInfo } from '../spec/support/cluster.js';
import { SENT_AT } from './support/api.js';
import { argValue } from './support/child.js';
import { wallClock } from './support/measure.js';

async function main(): Promise<void> {
  const info = readClusterInfo(argValue('cluster', ''));
  const timeSpan = Number(argValue('time-span', '1000'));
  const reader = readCluster(kubeConfigFor(info, 'admin'), {
    kinds: [{ resource: 'Pod' }],
    initialList: 'paginated',
  });
  // [the sent-at annotation as written, when the processor got it]
  const arrivals: [string, number][] = [];
  const recorder: Processor = {
    name: 'latency',
    async process(batch) {
      const now = wallClock();
      for (const entry of batch.entries) {
        const sentAt = entry.object.metadata?.annotations?.[SENT_AT];
        if (entry.change === 'modified' && sentAt !== undefined) arrivals.push([sentAt, now]);
      }
    },
  };
  const pipeline = tattler({
    readers: [reader.entries$],
    processors: [recorder],
    batch: { timeSpan, maxSize: 1000 },
    summaryInterval: 0,
  });
  await firstValueFrom(reader.synced$.pipe(filter((state) => state.all)));
  process.send?.({ type: 'ready' });
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'stop') return;
    void pipeline.stop({ deadline: 1000 });
    process.send?.({ type: 'result', arrivals }, () => process.exit(0));
  });
}

await main();
