/**
 * `npm run bench`: runs every benchmark, each measurement in a process of its own, then
 * writes bench/results/latest.json, bench/results/chart.png and the tables in
 * docs/benchmarks.md.
 *
 *   npm run bench                              all parts at their defaults
 *   npm run bench -- --pods 5000               part 3 and 4 with 5,000 Pods on the server
 *   npm run bench -- --parts pipeline,memory   only some parts
 *   npm run bench -- --parts lines             only part 5, line splitting (seconds)
 *   npm run bench -- --rate 500 --seconds 20   part 4 at another rate of changes
 *   npm run bench -- --pipeline-pods 50000 --memory-pods 10000,20000 --repeat 1
 *
 * Part 1 runs each stage alone `--repeat` times (default 1) and keeps the fastest run, then
 * all stages interleaved in one process.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LinesResult } from './lines.bench.js';
import type { MemoryResult } from './memory.bench.js';
import type { InterleavedResult, StageResult } from './pipeline.bench.js';
import { renderChart } from './support/chart.js';
import { runChild } from './support/child.js';
import { machineInfo } from './support/machine.js';
import { updateDocs, writeFormatted } from './support/markdown.js';
import type { BenchResults, LatencyResult, SyncResult } from './support/results.js';
import { STAGES } from './support/stages.js';

const PARTS = ['pipeline', 'memory', 'sync', 'latency', 'lines'] as const;
type Part = (typeof PARTS)[number];

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
}

function save(results: BenchResults): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  return writeFormatted(`${resultsDir}latest.json`, JSON.stringify(results, null, 2));
}

/**
 * Runs every stage alone `repeat` times, each in its own process (for its memory and its own
 * throughput; the fastest run is kept), then all stages side by side in one process (for the
 * ratios).
 */
async function pipeline(results: BenchResults, repeat: number): Promise<void> {
  const pods = String(results.options.pipelinePods);
  const best = new Map<string, StageResult>();
  for (let round = 1; round <= repeat; round++) {
    for (const stage of STAGES) {
      console.log(`[pipeline] ${stage} alone (${round}/${repeat}): ${pods} Pods`);
      const args = ['--stage', stage, '--pods', pods];
      const result = await runChild<StageResult>('pipeline.bench.ts', args);
      const previous = best.get(stage);
      if (previous === undefined || result.seconds < previous.seconds) best.set(stage, result);
    }
  }
  console.log(`[pipeline] all stages interleaved: ${pods} Pods`);
  const interleaved = await runChild<InterleavedResult>('pipeline.bench.ts', [
    '--stage',
    'all',
    '--pods',
    pods,
  ]);
  const stages = STAGES.map((stage) => best.get(stage) as StageResult);
  results.pipeline = { meanLineBytes: interleaved.meanLineBytes, repeat, stages, interleaved };
}

async function memory(results: BenchResults): Promise<void> {
  const runs: MemoryResult[] = [];
  for (const pods of results.options.memoryPods) {
    for (const mode of ['keep-up', 'stuck', 'cache']) {
      console.log(`[memory] ${pods} Pods, processors ${mode}`);
      const args = ['--pods', String(pods), '--mode', mode];
      // The informer-like cache holds every object: give it room so it shows, not crashes.
      const nodeArgs = mode === 'cache' ? ['--max-old-space-size=12288'] : [];
      runs.push(await runChild<MemoryResult>('memory.bench.ts', args, { nodeArgs }));
    }
  }
  results.memory = runs;
}

async function lines(results: BenchResults): Promise<void> {
  console.log('[lines] splitting watch responses into lines, 16 KiB chunks');
  results.lines = await runChild<LinesResult[]>('lines.bench.ts', []);
}

/** The options of part 4 given on the command line, to pass on to e2e.bench.ts. */
function passOn(): string[] {
  return ['rate', 'seconds'].flatMap((name) => {
    const value = option(name, '');
    return value === '' ? [] : [`--${name}`, value];
  });
}

/** Parts 3 and 4 share one API server, which e2e.bench.ts starts and fills. */
async function endToEnd(results: BenchResults, parts: readonly Part[]): Promise<void> {
  const args = ['--pods', String(results.options.pods), '--parts', parts.join(','), ...passOn()];
  console.log(
    `[e2e] ${parts.join(' and ')} against the real API server with ${results.options.pods} Pods`,
  );
  try {
    const outcome = await runChild<{
      sync?: SyncResult[];
      latency?: LatencyResult[];
      skipped?: string;
      failed?: string[];
      createSeconds?: number;
    }>('e2e.bench.ts', args, { timeoutMs: 25 * 60_000 });
    if (outcome.skipped !== undefined) {
      for (const part of parts) results.skipped[part] = outcome.skipped;
    }
    if (outcome.sync !== undefined) results.sync = outcome.sync;
    if (outcome.latency !== undefined) results.latency = outcome.latency;
    if (outcome.createSeconds !== undefined) results.createSeconds = outcome.createSeconds;
    if (outcome.failed !== undefined) results.skipped['sync variants'] = outcome.failed.join('; ');
  } catch (error) {
    const reason = `the end-to-end benchmark failed: ${(error as Error).message}`;
    for (const part of parts) results.skipped[part] = reason;
  }
  for (const part of parts) {
    if (results.skipped[part] !== undefined)
      console.log(`[${part}] skipped: ${results.skipped[part]}`);
  }
}

async function main(): Promise<void> {
  const parts = option('parts', PARTS.join(',')).split(',') as Part[];
  const unknown = parts.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0)
    throw new Error(`unknown --parts ${unknown.join(', ')}; use ${PARTS.join(', ')}`);
  const results: BenchResults = {
    machine: machineInfo(),
    startedAt: new Date().toISOString(),
    options: {
      pods: Number(option('pods', '20000')),
      pipelinePods: Number(option('pipeline-pods', '200000')),
      memoryPods: option('memory-pods', '50000,100000,200000').split(',').map(Number),
    },
    skipped: {},
  };
  if (results.machine.loadAverageAtStart > results.machine.cores) {
    console.log(
      `Load average ${results.machine.loadAverageAtStart} on ${results.machine.cores} cores: expect noisy numbers.`,
    );
  }
  if (parts.includes('pipeline')) await pipeline(results, Number(option('repeat', '1')));
  await save(results);
  if (parts.includes('memory')) await memory(results);
  await save(results);
  const e2eParts = parts.filter((part) => part === 'sync' || part === 'latency');
  if (e2eParts.length > 0) await endToEnd(results, e2eParts);
  if (parts.includes('lines')) await lines(results);
  results.finishedAt = new Date().toISOString();
  await save(results);
  await renderChart(results, `${resultsDir}chart.png`);
  await updateDocs(results);
  console.log(`Wrote ${resultsDir}latest.json, chart.png and docs/benchmarks.md`);
}

await main();
