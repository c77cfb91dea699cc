import type { LinesResult } from '../lines.bench.js';
import type { MemoryResult } from '../memory.bench.js';
import type { InterleavedResult, StageResult } from '../pipeline.bench.js';
import type { MachineInfo } from './machine.js';

/** How an initial sync was done in part 3. */
export type SyncVariant = 'paginated' | 'streaming' | 'informer' | 'bare-list';

/** One initial sync against the real API server, measured in its own process. */
export interface SyncResult {
  readonly variant: SyncVariant;
  readonly pods: number;
  /** Objects the reader delivered before it said it was synced. */
  readonly objects: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  /** RSS right after the process started, before the sync: the part that is Node itself. */
  readonly startRssBytes: number;
}

/** Change-to-processor latency under a steady rate of changes (part 4). */
export interface LatencyResult {
  /** The batch window of the pipeline under test, in milliseconds. */
  readonly batchTimeSpanMs: number;
  readonly targetChangesPerSecond: number;
  readonly durationSeconds: number;
  readonly sent: number;
  readonly received: number;
  readonly achievedChangesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** From sending a PATCH to its answer: the API server's own write latency. */
  readonly writeP50Ms: number;
  readonly writeP99Ms: number;
  /** From a PATCH's answer to the processor: what the watch and Tattler add. */
  readonly afterWriteP50Ms: number;
  readonly afterWriteP99Ms: number;
  /** How the latency was measured, in words. */
  readonly method: string;
}

/** Everything one `npm run bench` measured: the content of bench/results/latest.json. */
export interface BenchResults {
  readonly machine: MachineInfo;
  readonly startedAt: string;
  finishedAt?: string;
  readonly options: {
    readonly pipelinePods: number;
    readonly memoryPods: number[];
    readonly pods: number;
  };
  pipeline?: {
    readonly meanLineBytes: number;
    /** Runs per stage alone; `stages` holds the fastest of each. */
    readonly repeat: number;
    readonly stages: StageResult[];
    /** All stages side by side in one process: the source of the ratios. */
    readonly interleaved: InterleavedResult;
  };
  memory?: MemoryResult[];
  sync?: SyncResult[];
  latency?: LatencyResult[];
  lines?: LinesResult[];
  /** Seconds it took to create the Pods of part 3 and 4 on the server. */
  createSeconds?: number;
  /** Parts that did not run, with the reason. */
  readonly skipped: Record<string, string>;
}
