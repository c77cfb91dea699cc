/**
 * Part 1: pushes generated watch-event lines through the pipeline up to `--stage` and
 * reports entries/s, CPU seconds, peak RSS and peak heap; or, with `--stage all`, every stage
 * side by side in one process, for ratios that load elsewhere on the machine does not skew.
 *
 * Lines are made in blocks of 1,000 outside the timed section; only pushing a block through
 * and waiting until it has gone all the way is timed. With 1,000-line blocks and batches of
 * at most 1,000 UIDs, every batch closes on size, so the run never waits on the 1 s timer.
 *
 *   npx tsx bench/pipeline.bench.ts --stage full --pods 200000
 *   npx tsx bench/pipeline.bench.ts --stage all --pods 200000
 */
import { argValue, report } from './support/child.js';
import { HeapPeak, cpuSeconds, peakRss } from './support/measure.js';
import { PodLines } from './support/pods.js';
import { STAGES, stageSink, type Stage, type StageSink } from './support/stages.js';

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

/** The stages measured side by side in one process (`--stage all`). */
export interface InterleavedResult {
  readonly pods: number;
  readonly meanLineBytes: number;
  readonly stages: {
    stage: Stage;
    seconds: number;
    cpuSeconds: number;
    entriesPerSecond: number;
  }[];
}

function makeBlock(lines: PodLines, start: number, end: number): string[] {
  const block: string[] = [];
  for (let i = start; i < end; i++) block.push(lines.line(i));
  return block;
}

/** Pushes one block through `sink` and answers the nanoseconds and CPU seconds it took. */
async function timeBlock(sink: StageSink, block: readonly string[], upTo: number) {
  const cpuStart = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const line of block) sink.push(line);
  await sink.settled(upTo);
  return { ns: process.hrtime.bigint() - t0, cpu: cpuSeconds(cpuStart) };
}

async function alone(stage: Stage, pods: number, lines: PodLines): Promise<StageResult> {
  const sink = stageSink(stage);
  const heap = new HeapPeak();
  let busyNs = 0n;
  let cpu = 0;
  for (let start = 0; start < pods; start += BLOCK) {
    const end = Math.min(pods, start + BLOCK);
    const block = makeBlock(lines, start, end);
    heap.sample();
    const timed = await timeBlock(sink, block, end);
    busyNs += timed.ns;
    cpu += timed.cpu;
    heap.sample();
  }
  sink.complete();
  const seconds = Number(busyNs) / 1e9;
  heap.stop();
  return {
    stage,
    pods,
    meanLineBytes: lines.meanBytes,
    seconds,
    cpuSeconds: cpu,
    entriesPerSecond: pods / seconds,
    peakRssBytes: peakRss(),
    peakHeapBytes: heap.peak,
  };
}

/**
 * Every stage in one process, block by block: each block goes through each stage's own
 * pipeline in turn, the order rotating from block to block, so load elsewhere on the machine
 * slows all stages alike and their ratios stay meaningful.
 */
async function interleaved(pods: number, lines: PodLines): Promise<InterleavedResult> {
  const sinks = STAGES.map((stage) => ({ stage, sink: stageSink(stage), ns: 0n, cpu: 0 }));
  for (let start = 0, round = 0; start < pods; start += BLOCK, round++) {
    const end = Math.min(pods, start + BLOCK);
    const block = makeBlock(lines, start, end);
    for (let k = 0; k < sinks.length; k++) {
      const slot = sinks[(round + k) % sinks.length] as (typeof sinks)[number];
      const timed = await timeBlock(slot.sink, block, end);
      slot.ns += timed.ns;
      slot.cpu += timed.cpu;
    }
  }
  return {
    pods,
    meanLineBytes: lines.meanBytes,
    stages: sinks.map(({ stage, ns, cpu }) => ({
      stage,
      seconds: Number(ns) / 1e9,
      cpuSeconds: cpu,
      entriesPerSecond: pods / (Number(ns) / 1e9),
    })),
  };
}

async function main(): Promise<void> {
  const stage = argValue('stage', 'full');
  const pods = Number(argValue('pods', '200000'));
  const lines = new PodLines({ seed: Number(argValue('seed', '42')) });
  if (stage === 'all') report(await interleaved(pods, lines));
  else if (STAGES.includes(stage as Stage)) report(await alone(stage as Stage, pods, lines));
  else throw new Error(`--stage must be all or one of ${STAGES.join(', ')}`);
}

await main();
