import { NEVER, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { tattler, type Entry, type Processor, type StopOptions } from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';

/** A processor that never finishes a batch, so only a deadline ends the pipeline. */
const stuck: Processor = { name: 'stuck', process: () => NEVER };

/**
 * Feeds one entry at frame 0, calls `stop` at each of `stops` (frame, options), and answers
 * the virtual frames at which the batch in flight was dropped at a deadline.
 */
function dropFrames(stops: readonly [number, StopOptions][]): number[] {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const dropped: number[] = [];
  scheduler.run(() => {
    const reader = new Subject<Entry>();
    const handle = tattler({
      readers: [reader],
      processors: [stuck],
      batch: { timeSpan: 100, maxSize: 1 },
      // No summaries: their timer would run virtual time on forever for a pipeline that
      // never ends.
      summaryInterval: 0,
      scheduler,
    });
    handle.diagnostics$.subscribe((diagnostic) => {
      if (diagnostic._tag === 'Dropped') dropped.push(scheduler.now());
    });
    reader.next(makeEntry('a'));
    for (const [frame, options] of stops) {
      scheduler.schedule(() => void handle.stop(options), frame);
    }
  });
  return dropped;
}

describe('tattler stop deadline', () => {
  it('should take a deadline given by a later stop() when the first had none', () => {
    expect(
      dropFrames([
        [1, {}],
        [3, { deadline: 5 }],
      ]),
    ).toEqual([8]);
  });

  it('should bring the deadline forward when a later stop() gives an earlier one', () => {
    expect(
      dropFrames([
        [1, { deadline: 10 }],
        [3, { deadline: 2 }],
      ]),
    ).toEqual([5]);
  });

  it('should keep the earlier deadline when a later stop() gives a later one', () => {
    expect(
      dropFrames([
        [1, { deadline: 2 }],
        [2, { deadline: 10 }],
      ]),
    ).toEqual([3]);
  });
});
