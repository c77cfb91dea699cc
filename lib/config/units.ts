import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const DURATION_HINT =
  'expected a duration such as 500ms, 5s, 2m or 1h, or a number of milliseconds';
const SIZE_HINT = 'expected a size such as 10Mi, 500KB or 1Gi, or a number of bytes';
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|Ki|Mi|Gi)?$/;
const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
};

/**
 * The longest delay a Node.js timer holds, in milliseconds (about 24.8 days); a longer one
 * fires at once, so every duration of a config file is capped here.
 */
export const MAX_TIMER_MS = 2_147_483_647;

const rawDuration = z.union(
  [z.number().nonnegative(DURATION_HINT), z.string().regex(DURATION, DURATION_HINT)],
  { error: DURATION_HINT },
);

function toMilliseconds(value: number | string): number {
  if (typeof value === 'number') return value;
  const [, amount = '0', unit = 'ms'] = DURATION.exec(value) ?? [];
  return Number(amount) * (DURATION_UNITS[unit] ?? 1);
}

/** A duration whose milliseconds must lie in a range; the issue reports what was written. */
function durationIn(range: { readonly min: 'zero' | 'above-zero' }): z.ZodType<number, unknown> {
  const lowest = range.min === 'zero' ? 'of 0 or more' : 'greater than 0';
  return rawDuration.transform((value, context) => {
    const ms = toMilliseconds(value);
    const tooLow = range.min === 'zero' ? ms < 0 : ms <= 0;
    if (tooLow || ms > MAX_TIMER_MS) {
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
 * A duration in a config file: `500ms`, `5s`, `2m`, `1h`, or a number of milliseconds, from
 * 0 to {@link MAX_TIMER_MS}. Parses to milliseconds.
 */
export const duration = durationIn({ min: 'zero' });

/** A {@link duration} that must be greater than 0, for a time span or a timeout. */
export const positiveDuration = durationIn({ min: 'above-zero' });

/** A size in a config file: `10Mi`, `500KB`, `1Gi`, or a number of bytes. Parses to bytes. */
export const byteSize = z
  .union([z.number().int(SIZE_HINT).positive(SIZE_HINT), z.string().regex(SIZE, SIZE_HINT)], {
    error: SIZE_HINT,
  })
  .transform((value) => {
    if (typeof value === 'number') return value;
    const [, amount = '0', unit = 'B'] = SIZE.exec(value) ?? [];
    return Math.round(Number(amount) * (SIZE_UNITS[unit] ?? 1));
  });
