import { getHeapStatistics } from 'node:v8';

/** Bytes in a MiB, for reports. */
export const MIB = 1024 * 1024;

/** The peak resident set size of this process so far, in bytes (from the kernel). */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Runs a full garbage collection when node was started with `--expose-gc`. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('start node with --expose-gc to measure steady memory');
  gc();
  gc();
}

/**
 * Tracks the largest used heap seen. Call `sample()` from hot loops every so often; a timer
 * also samples while the process waits on I/O.
 */
export class HeapPeak {
  private peakBytes = getHeapStatistics().used_heap_size;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const used = getHeapStatistics().used_heap_size;
    if (used > this.peakBytes) this.peakBytes = used;
  }

  get peak(): number {
    this.sample();
    return this.peakBytes;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** CPU seconds (user + system) this process used since `since`. */
export function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** The `p`-th percentile (0..100) of `values`, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** Rounds to `digits` significant decimals for reports. */
export function round(value: number, digits = 3): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const wallClock = (): number => performance.timeOrigin + performance.now();
