import bytes from 'bytes-iec';
import parseDuration from 'parse-duration';
import { z } from 'zod';

/**
 * What a duration may look like: one or more amounts with a unit, Go and Kubernetes style
 * (`500ms`, `1m30s`, `1h 30m`). parse-duration converts it; this pattern keeps out what
 * that lenient parser would also read (`5 sec`, `soon 5s`, `-5s`).
 */
const DURATION = /^(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h)\s*)+$/;
const DURATION_HINT =
  'expected a duration such as 500ms, 5s, 1m30s or 1h, or a number of milliseconds';

/**
 * What a size may look like: an amount and an optional unit, metric (`500KB`, `10MB`) or
 * binary, with or without the `B` (`10Mi` as in Kubernetes, `10MiB`). bytes-iec converts it.
 */
const SIZE = /^(\d+(?:\.\d+)?)\s*(B|[kKMGT]B|[KMGT]i|[KMGT]iB)?$/;
const SIZE_HINT = 'expected a size such as 10Mi, 500KB or 1Gi, or a number of bytes';

/**
 * The longest delay a Node.js timer holds, in milliseconds (about 24.8 days); a longer one
 * fires at once, so every duration of a config file is capped here.
 */
export const MAX_TIMER_MS = 2_147_483_647;

const rawDuration = z.union(
  [z.number().nonnegative(DURATION_HINT), z.string().trim().regex(DURATION, DURATION_HINT)],
  { error: DURATION_HINT },
);

/** A duration whose milliseconds must lie in a range; the issue reports what was written. */
function durationIn(range: { readonly min: 'zero' | 'above-zero' }): z.ZodType<number, unknown> {
  const lowest = range.min === 'zero' ? 'of 0 or more' : 'greater than 0';
  return rawDuration.transform((value, context) => {
    const ms = typeof value === 'number' ? value : (parseDuration(value) ?? Number.NaN);
    const tooLow = range.min === 'zero' ? ms < 0 : ms <= 0;
    if (Number.isNaN(ms) || tooLow || ms > MAX_TIMER_MS) {
      context.issues.push({
        code: 'custom',
        input: value,
        message: `expected a duration ${lowest} and at most ${MAX_TIMER_MS}ms (about 24 days)`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

/**
 * A duration in a config file: `500ms`, `5s`, `1m30s`, `1h`, or a number of milliseconds,
 * from 0 to {@link MAX_TIMER_MS}. Parses to milliseconds.
 */
export const duration = durationIn({ min: 'zero' });

/** A {@link duration} that must be greater than 0, for a time span or a timeout. */
export const positiveDuration = durationIn({ min: 'above-zero' });

/**
 * A size in a config file: `10Mi`, `500KB`, `1Gi`, `1.5MiB`, or a number of bytes; `KB`, `MB`
 * and `GB` are powers of 1000, `Ki`, `Mi` and `Gi` powers of 1024. Parses to whole bytes, at
 * least 1.
 */
export const byteSize = z
  .union(
    [z.number().int(SIZE_HINT).positive(SIZE_HINT), z.string().trim().regex(SIZE, SIZE_HINT)],
    { error: SIZE_HINT },
  )
  .transform((value, context) => {
    if (typeof value === 'number') return value;
    const [, amount = '', unit = 'B'] = SIZE.exec(value) ?? [];
    // bytes-iec writes the binary units with their B (MiB); Kubernetes leaves it out (Mi).
    const size = bytes.parse(`${amount}${unit.endsWith('i') ? `${unit}B` : unit}`);
    if (size === null || size < 1) {
      context.issues.push({ code: 'custom', input: value, message: `${SIZE_HINT}, of 1 or more` });
      return z.NEVER;
    }
    return size;
  });
