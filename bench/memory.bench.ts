/**
 * Part 2, one size and processor mode per process: pushes the initial state of `--pods` Pods
 * through the whole pipeline, lets it settle, collects garbage and reports the steady RSS and
 * heap, next to the same figures before the first line.
 *
 * Modes: `keep-up` (three processors that keep nothing per object), `stuck` (one of them
 * never finishes; boundedDrop must keep memory bounded) and `cache` (one of them keeps every
 * entry, as an informer's cache does: the reference Tattler should not look like).
 *
 *   node --expose-gc --import tsx bench/memory.bench.ts --pods 100000 --mode stuck
 */
import { getHeapStatistics } from 'node:v8';
import { argValue, report } from './support/child.js';
import { collectGarbage, peakRss } from './support/measure.js';
import { PodLines } from './support/pods.js';
import { stageSink, type ProcessorMode } from './support/stages.js';

const BLOCK = 1000;

/** What one memory run reports. */
export interface MemoryResult {
  readonly pods: number;
  readonly mode: ProcessorMode;
  readonly baselineRssBytes: number;
  readonly baselineHeapBytes: number;
  readonly steadyRssBytes: number;
  readonly steadyHeapBytes: number;
  readonly peakRssBytes: number;
  readonly droppedBatches: number;
  readonly droppedEntries: number;
}

async function main(): Promise<void> {
  const pods = Number(argValue('pods', '50000'));
  const mode = argValue('mode', 'keep-up') as ProcessorMode;
  const lines = new PodLines({ seed: 42 });
  const sink = stageSink('full', mode);
  collectGarbage();
  const baselineRssBytes = process.memoryUsage().rss;
  const baselineHeapBytes = getHeapStatistics().used_heap_size;
  for (let start = 0; start < pods; start += BLOCK) {
    for (let i = start; i < Math.min(pods, start + BLOCK); i++) sink.push(lines.line(i));
    await sink.settled(Math.min(pods, start + BLOCK));
  }
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  const result: MemoryResult = {
    pods,
    mode,
    baselineRssBytes,
    baselineHeapBytes,
    steadyRssBytes: process.memoryUsage().rss,
    steadyHeapBytes: getHeapStatistics().used_heap_size,
    peakRssBytes: peakRss(),
    droppedBatches: sink.dropped?.batches ?? 0,
    droppedEntries: sink.dropped?.entries ?? 0,
  };
  report(result);
}

await main();
