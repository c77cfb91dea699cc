/**
 * Part 1, one stage per process: pushes generated watch-event lines through the pipeline up
 * to `--stage` and reports entries/s, CPU seconds, peak RSS and peak heap.
 *
 * Lines are made in blocks of 1,000 outside the timed section; only pushing a block through
 * and waiting until it has gone all the way is timed. With 1,000-line blocks and batches of
 * at most 1,000 UIDs, every batch closes on size, so the run never waits on the 1 s timer.
 *
 *   npx tsx bench/pipeline.bench.ts --stage full --pods 200000
 */
import { argValue, report } from './support/child.js';
import { HeapPeak, cpuSeconds, peakRss } from './support/measure.js';
import { PodLines } from './support/pods.js';
import { STAGES, stageSink, type Stage } from './support/stages.js';

const BLOCK = 1000;

/** What one stage run reports. */
export interface StageResult {
  readonly stage: Stage;
  readonly pods: number;
  readonly meanLineBytes: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly entriesPerSecond: number;
  readonly peakRssBytes: number;
  readonly peakHeapBytes: number;
}

async function main(): Promise<void> {
  const stage = argValue('stage', 'full') as Stage;
  if (!STAGES.includes(stage)) throw new Error(`--stage must be one of ${STAGES.join(', ')}`);
  const pods = Number(argValue('pods', '200000'));
  const lines = new PodLines({ seed: Number(argValue('seed', '42')) });
  const sink = stageSink(stage);
  const heap = new HeapPeak();
  let busyNs = 0n;
  let cpu = 0;
  for (let start = 0; start < pods; start += BLOCK) {
    const block: string[] = [];
    for (let i = start; i < Math.min(pods, start + BLOCK); i++) block.push(lines.line(i));
    heap.sample();
    const cpuStart = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const line of block) sink.push(line);
    await sink.settled(start + block.length);
    busyNs += process.hrtime.bigint() - t0;
    cpu += cpuSeconds(cpuStart);
  }
  sink.complete();
  const seconds = Number(busyNs) / 1e9;
  const result: StageResult = {
    stage,
    pods,
    meanLineBytes: lines.meanBytes,
    seconds,
    cpuSeconds: cpu,
    entriesPerSecond: pods / seconds,
    peakRssBytes: peakRss(),
    peakHeapBytes: heap.peak,
  };
  heap.stop();
  report(result);
}

await main();
