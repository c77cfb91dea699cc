import { throwError, timer, type Observable } from 'rxjs';
import type { Batch, Entry, Logger, Processor } from '../../lib/index.js';

/** A processor that records what it got and takes `frames` of virtual time per batch. */
export interface FakeProcessor extends Processor {
  readonly uids: string[][];
  closed: number;
}

export function fakeProcessor(
  name: string,
  options: { frames?: number; failOn?: (batch: Batch) => boolean } = {},
): FakeProcessor {
  const fake: FakeProcessor = {
    name,
    uids: [],
    closed: 0,
    process(batch: Batch): Observable<unknown> {
      fake.uids.push(batch.entries.map((entry: Entry) => entry.uid));
      if (options.failOn?.(batch) === true) return throwError(() => new Error(`${name} is down`));
      return timer(options.frames ?? 0);
    },
    async close(): Promise<void> {
      fake.closed += 1;
    },
  };
  return fake;
}

/** One call of a {@link recordingLogger}. */
export interface LogCall {
  readonly level: string;
  readonly message?: string;
  readonly fields: object;
}

/** A logger that keeps every call. */
export function recordingLogger(): Logger & { calls: LogCall[] } {
  const calls: LogCall[] = [];
  const at =
    (level: string) =>
    (fields: object, message?: string): void => {
      calls.push({ level, message, fields });
    };
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
