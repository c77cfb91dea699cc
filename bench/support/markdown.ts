import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { fileURLToPath } from 'node:url';
import { STAGE_LABELS } from './stages.js';
import { MIB, round } from './measure.js';
import type { BenchResults, SyncVariant } from './results.js';

const DOC = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
const START = '<!-- results:start (written by npm run bench) -->';
const END = '<!-- results:end -->';

const mib = (bytes: number): string => String(Math.round(bytes / MIB));
const ratio = (value: number, base: number | undefined): string =>
  base === undefined || base === 0 ? '' : `${round(value / base, 3)}×`;

const SYNC_LABELS: Readonly<Record<SyncVariant, string>> = {
  'bare-list': 'bare paginated LIST, parsed (floor)',
  paginated: 'Tattler reader, paginated list',
  streaming: 'Tattler reader, streaming list',
  informer: 'client-node makeInformer',
};

function machineTable(results: BenchResults): string[] {
  const m = results.machine;
  return [
    '| Machine | |',
    '|---|---|',
    `| CPU | ${m.cpuModel} |`,
    `| Cores | ${m.cores} |`,
    `| Memory | ${round(m.memoryBytes / 1024 ** 3, 3)} GiB |`,
    `| Node.js | ${m.node} |`,
    `| OS | ${m.os} |`,
    `| Load average at start | ${round(m.loadAverageAtStart, 2)} |`,
    `| Run | ${results.startedAt} to ${results.finishedAt ?? '(unfinished)'} |`,
  ];
}

function pipelineTable(results: BenchResults): string[] {
  const alone = results.pipeline?.stages ?? [];
  const side = results.pipeline?.interleaved?.stages ?? [];
  if (alone.length === 0 || side.length === 0) return [];
  const base = side[0];
  const pods = results.pipeline?.interleaved.pods ?? 1;
  const lines = [
    `### Throughput: ${alone[0]?.pods} Pods, mean watch-event line ${results.pipeline?.meanLineBytes} bytes`,
    '',
    'Side by side: all stages in one process, block by block. Alone: each stage in its own process.',
    '',
    '| Stage (cumulative) | entries/s side by side | × JSON.parse time | CPU µs/entry | × JSON.parse CPU | µs/entry added | entries/s alone | peak RSS MiB alone | peak heap MiB alone |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  side.forEach((s, at) => {
    const own = alone.find((a) => a.stage === s.stage);
    const previous = at === 0 ? undefined : side[at - 1];
    const added =
      previous === undefined ? '' : round(((s.seconds - previous.seconds) * 1e6) / pods, 2);
    lines.push(
      `| ${STAGE_LABELS[s.stage]} | ${Math.round(s.entriesPerSecond)} | ${ratio(s.seconds, base?.seconds)} | ` +
        `${round((s.cpuSeconds * 1e6) / pods)} | ${ratio(s.cpuSeconds, base?.cpuSeconds)} | ${added} | ` +
        `${own === undefined ? '' : Math.round(own.entriesPerSecond)} | ` +
        `${own === undefined ? '' : mib(own.peakRssBytes)} | ${own === undefined ? '' : mib(own.peakHeapBytes)} |`,
    );
  });
  return lines;
}

function memoryTable(results: BenchResults): string[] {
  const runs = results.memory ?? [];
  if (runs.length === 0) return [];
  const lines = [
    '### Memory after the initial state has passed through (after GC)',
    '',
    '| Pods | Processors | steady RSS MiB | steady heap MiB | heap above start MiB | peak RSS MiB | batches dropped |',
    '|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of runs) {
    lines.push(
      `| ${r.pods} | ${r.mode} | ${mib(r.steadyRssBytes)} | ${mib(r.steadyHeapBytes)} | ` +
        `${mib(r.steadyHeapBytes - r.baselineHeapBytes)} | ${mib(r.peakRssBytes)} | ${r.droppedBatches} |`,
    );
  }
  return lines;
}

function syncTable(results: BenchResults): string[] {
  const runs = results.sync ?? [];
  if (runs.length === 0) return [];
  const floor = runs.find((r) => r.variant === 'bare-list');
  const lines = [
    `### Initial sync against the real API server: ${runs[0]?.pods} Pods` +
      (results.createSeconds === undefined
        ? ''
        : ` (created in ${round(results.createSeconds)} s)`),
    '',
    '| Reader | objects | seconds | × floor | CPU s | × floor | peak RSS MiB | × floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of runs) {
    lines.push(
      `| ${SYNC_LABELS[r.variant]} | ${r.objects} | ${round(r.seconds)} | ${ratio(r.seconds, floor?.seconds)} | ` +
        `${round(r.cpuSeconds)} | ${ratio(r.cpuSeconds, floor?.cpuSeconds)} | ${mib(r.peakRssBytes)} | ` +
        `${ratio(r.peakRssBytes, floor?.peakRssBytes)} |`,
    );
  }
  return lines;
}

function latencyTable(results: BenchResults): string[] {
  const runs = results.latency ?? [];
  if (runs.length === 0) return [];
  const lines = [
    `### Latency from change to processor (${runs[0]?.durationSeconds} s of changes)`,
    '',
    '| batch window ms | target changes/s | achieved changes/s | sent | received | total p50 ms | total p99 ms | max ms | write p50 ms | write p99 ms | after write p50 ms | after write p99 ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const l of runs) {
    lines.push(
      `| ${l.batchTimeSpanMs} | ${l.targetChangesPerSecond} | ${round(l.achievedChangesPerSecond)} | ` +
        `${l.sent} | ${l.received} | ${round(l.p50Ms)} | ${round(l.p99Ms)} | ${round(l.maxMs)} | ` +
        `${round(l.writeP50Ms)} | ${round(l.writeP99Ms)} | ${round(l.afterWriteP50Ms)} | ${round(l.afterWriteP99Ms)} |`,
    );
  }
  return [...lines, '', runs[0]?.method ?? ''];
}

function linesTable(results: BenchResults): string[] {
  const runs = results.lines ?? [];
  if (runs.length === 0) return [];
  const lines = [
    `### Splitting watch responses into lines (${runs[0]?.chunkBytes} byte chunks)`,
    '',
    '| line bytes | lines | ms per line | MiB/s |',
    '|---:|---:|---:|---:|',
  ];
  for (const r of runs) {
    lines.push(
      `| ${r.lineBytes} | ${r.lines} | ${round(r.msPerLine, 3)} | ${Math.round(r.mibPerSecond)} |`,
    );
  }
  return lines;
}

/** The generated part of docs/benchmarks.md for `results`. */
export function resultsMarkdown(results: BenchResults): string {
  const sections = [
    machineTable(results),
    pipelineTable(results),
    memoryTable(results),
    syncTable(results),
  ];
  sections.push(latencyTable(results), linesTable(results));
  const skipped = Object.entries(results.skipped).map(([part, why]) => `- ${part} skipped: ${why}`);
  if (skipped.length > 0) sections.push(['Not measured in this run:', '', ...skipped]);
  return sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n');
}

/** Writes `text` to `path` formatted as the project's Prettier settings say. */
export async function writeFormatted(path: string, text: string): Promise<void> {
  const config = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(text, { ...config, filepath: path }));
}

/** Replaces the generated part of docs/benchmarks.md, keeping the prose around it. */
export async function updateDocs(results: BenchResults): Promise<void> {
  const text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const generated = `${START}\n\n${resultsMarkdown(results)}\n\n${END}`;
  const next =
    start === -1 || end === -1
      ? `${text.trimEnd()}\n\n${generated}\n`
      : text.slice(0, start) + generated + text.slice(end + END.length);
  await writeFormatted(DOC, next);
}
