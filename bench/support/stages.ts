import { Subject, filter, map, type Observable } from 'rxjs';
import { decodeWatchEvent, type Entry, type Processor } from '../../lib/index.js';
import { batchByUid, redactSecrets } from '../../lib/operators/index.js';
import { tattler } from '../../lib/pipeline/index.js';

/**
 * The pipeline stages the throughput benchmark adds one at a time. Each stage includes the
 * ones before it: `decode` is parse + decode, `full` is everything.
 */
export const STAGES = ['json-parse', 'decode', 'redact', 'batch', 'full'] as const;
export type Stage = (typeof STAGES)[number];

/** What each stage is, for the report. */
export const STAGE_LABELS: Readonly<Record<Stage, string>> = {
  'json-parse': 'JSON.parse alone (baseline)',
  decode: 'parse + decode',
  redact: '+ redactSecrets',
  batch: '+ batchByUid(1 s, 1000)',
  full: '+ router + boundedDrop + 3 processors',
};

/** Lines go in with `push`; `settled(n)` resolves once `n` lines have gone all the way. */
export interface StageSink {
  push(line: string): void;
  settled(lines: number): Promise<void>;
  complete(): void;
  /** Batches and entries that boundedDrop dropped (the `full` stage only). */
  readonly dropped?: { batches: number; entries: number };
}

/** How the processors of the `full` stage behave. */
export type ProcessorMode = 'keep-up' | 'stuck' | 'cache';

const CONTEXT = { kind: 'Pod', source: 'apiserver.watch' } as const;

/**
 * Cheap processors that keep nothing per object, so that the benchmark measures Tattler:
 * a tally per kind, a tally per namespace, and a digest of UIDs and resourceVersions.
 * `stuck` replaces the digest with one that never finishes; `cache` with one that keeps
 * every object, as an informer's cache would.
 */
export function benchProcessors(mode: ProcessorMode): {
  processors: Processor[];
  seen: readonly number[];
} {
  const seen: [number, number, number] = [0, 0, 0];
  const kinds = new Map<string, number>();
  const namespaces = new Map<string, number>();
  const cache = new Map<string, Entry>();
  let digest = 0;
  const tallyKinds: Processor = {
    name: 'kinds',
    async process(batch) {
      for (const [kind, entries] of batch.byKind())
        kinds.set(kind, (kinds.get(kind) ?? 0) + entries.length);
      seen[0] += batch.size;
    },
  };
  const tallyNamespaces: Processor = {
    name: 'namespaces',
    async process(batch) {
      for (const entry of batch.entries) {
        const ns = entry.namespace ?? '';
        namespaces.set(ns, (namespaces.get(ns) ?? 0) + 1);
      }
      seen[1] += batch.size;
    },
  };
  const third: Processor = {
    name: mode === 'stuck' ? 'stuck' : mode === 'cache' ? 'cache' : 'digest',
    process(batch) {
      if (mode === 'stuck') return new Promise<void>(() => undefined);
      for (const entry of batch.entries) {
        if (mode === 'cache') cache.set(entry.uid, entry);
        else digest = (digest * 31 + entry.uid.length + entry.resourceVersion.length) | 0;
      }
      seen[2] += batch.size;
      return Promise.resolve();
    },
  };
  return { processors: [tallyKinds, tallyNamespaces, third], seen };
}

/** Builds the sink for `stage`; the `full` stage fans batches out to `processors`. */
export function stageSink(stage: Stage, mode: ProcessorMode = 'keep-up'): StageSink {
  if (stage === 'json-parse') return parseOnly();
  const lines = new Subject<string>();
  let entries$: Observable<Entry> = lines.pipe(
    map((line) => decodeWatchEvent(JSON.parse(line), CONTEXT)),
    filter((result) => result._tag === 'Right'),
    map((result) => result.right),
  );
  if (stage === 'full') return fullPipeline(lines, entries$, mode);
  if (stage !== 'decode') entries$ = entries$.pipe(redactSecrets());
  if (stage === 'decode' || stage === 'redact') return counting(lines, entries$);
  const batches$ = entries$.pipe(batchByUid({ timeSpan: 1000, maxSize: 1000 }));
  return counting(lines, batches$, (batch) => batch.size);
}

function parseOnly(): StageSink {
  let done = 0;
  let keep: unknown;
  return {
    push(line) {
      keep = JSON.parse(line);
      done++;
    },
    settled: async (n) => {
      if (done < n || keep === undefined) throw new Error(`parsed ${done} of ${n} lines`);
    },
    complete: () => undefined,
  };
}

function counting<T>(
  lines: Subject<string>,
  out$: Observable<T>,
  size: (value: T) => number = () => 1,
): StageSink {
  let done = 0;
  out$.subscribe((value) => {
    done += size(value);
  });
  return {
    push: (line) => lines.next(line),
    settled: async (n) => {
      if (done < n) throw new Error(`only ${done} of ${n} lines came through synchronously`);
    },
    complete: () => lines.complete(),
  };
}

/** The `full` stage: decoded entries into `tattler()`, the whole pipeline as users run it. */
function fullPipeline(
  lines: Subject<string>,
  entries$: Observable<Entry>,
  mode: ProcessorMode,
): StageSink {
  const { processors, seen } = benchProcessors(mode);
  const pipeline = tattler({
    readers: [entries$],
    processors,
    batch: { timeSpan: 1000, maxSize: 1000 },
    summaryInterval: 0,
  });
  const dropped = { batches: 0, entries: 0 };
  pipeline.diagnostics$.subscribe((diagnostic) => {
    if (diagnostic._tag !== 'Dropped') return;
    dropped.batches++;
    dropped.entries += diagnostic.entries;
  });
  return {
    push: (line) => lines.next(line),
    settled: (n) =>
      waitUntil(() => seen.every((count, at) => (mode === 'stuck' && at === 2) || count >= n)),
    complete: () => lines.complete(),
    dropped,
  };
}

/** Resolves once `done()` holds, checking after each turn of the event loop. */
async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}
