import type { PipelineEnd } from './handle.js';
import type { TattlerStats } from './stats.js';

/** What {@link PipelineEnding} calls: once synchronously at the end, once after the closes. */
export interface EndingHooks {
  /**
   * Runs as soon as the batch stream and every route have ended (every route has counted its
   * drops by then): stop timers, note the end time.
   */
  readonly ended: () => void;
  /**
   * Runs once every close has settled: the final summary goes here, after whatever the
   * processors logged while closing; answers the counters for the result.
   */
  readonly closed: (reason: PipelineEnd['reason']) => TattlerStats;
}

/**
 * Tracks what must end before a pipeline has: the batch stream, every processor route, and
 * then every processor's `close()`. `done` settles after all three.
 */
export class PipelineEnding {
  readonly done: Promise<PipelineEnd>;
  private settle: (end: PipelineEnd) => void = () => undefined;
  private end: { readonly reason: PipelineEnd['reason']; readonly error?: unknown } | undefined;
  private liveRoutes = 0;
  private ended = false;
  private readonly closes: Promise<void>[] = [];

  constructor(private readonly hooks: EndingHooks) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  /** Whether the pipeline has ended (the closes may still be running). */
  get isOver(): boolean {
    return this.ended;
  }

  /** The batch stream ended; the first call decides the reason. */
  streamEnded(reason: PipelineEnd['reason'], error?: unknown): void {
    this.end ??= reason === 'errored' ? { reason, error } : { reason };
    this.check();
  }

  routeStarted(): void {
    this.liveRoutes += 1;
  }

  /** A route ended and its processor's close has started. */
  routeEnded(close: Promise<void>): void {
    this.liveRoutes -= 1;
    this.closes.push(close);
    this.check();
  }

  private check(): void {
    if (this.ended || this.end === undefined || this.liveRoutes > 0) return;
    this.ended = true;
    this.hooks.ended();
    const end = this.end;
    void Promise.all(this.closes).then(() => {
      this.settle({ ...end, stats: this.hooks.closed(end.reason) });
    });
  }
}
