import type { VirtualTimeScheduler } from 'rxjs';

/** Moves a virtual clock forward by `ms`, running the actions due by then, in order. */
export function advance(scheduler: VirtualTimeScheduler, ms: number): void {
  const to = scheduler.now() + ms;
  scheduler.maxFrames = to;
  scheduler.flush();
  scheduler.frame = to;
}
