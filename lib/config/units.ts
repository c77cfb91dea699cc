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
 * A duration in a config file: `500ms`, `5s`, `2m`, `1h`, or a number of milliseconds.
 * Parses to milliseconds.
 */
export const duration = z
  .union([z.number().nonnegative(DURATION_HINT), z.string().regex(DURATION, DURATION_HINT)], {
    error: DURATION_HINT,
  })
  .transform((value) => {
    if (typeof value === 'number') return value;
    const [, amount = '0', unit = 'ms'] = DURATION.exec(value) ?? [];
    return Number(amount) * (DURATION_UNITS[unit] ?? 1);
  });

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
