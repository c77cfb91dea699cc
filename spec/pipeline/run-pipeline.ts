import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  tattler,
  type Diagnostic,
  type Entry,
  type TattlerHandle,
  type TattlerOptions,
} from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';

/** The entries `runPipeline`'s marbles name: `a` to `f`, one UID each. */
export const entries: Record<string, Entry> = {
  a: makeEntry('a'),
  b: makeEntry('b'),
  c: makeEntry('c'),
  d: makeEntry('d'),
  e: makeEntry('e'),
  f: makeEntry('f'),
};

export function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/**
 * Runs a pipeline in virtual time: `marbles` feeds one in-memory reader, `s` in `stop` calls
 * `stop()`. Answers the handle and every diagnostic.
 */
export function runPipeline(
  marbles: string,
  options: Omit<TattlerOptions, 'readers' | 'scheduler'>,
  stop?: { marbles: string; deadline?: number; reason?: string },
): { handle: TattlerHandle; diagnostics: Diagnostic[] } {
  const scheduler = newScheduler();
  const diagnostics: Diagnostic[] = [];
  let handle: TattlerHandle | undefined;
  scheduler.run(({ hot }) => {
    const reader = new Subject<Entry>();
    handle = tattler({ ...options, readers: [reader], scheduler });
    handle.diagnostics$.subscribe((diagnostic) => diagnostics.push(diagnostic));
    hot(marbles, entries, new Error('reader failed')).subscribe(reader);
    if (stop !== undefined) {
      const { deadline, reason } = stop;
      hot(stop.marbles).subscribe(() => void handle?.stop({ deadline, reason }));
    }
  });
  return { handle: handle as TattlerHandle, diagnostics };
}
