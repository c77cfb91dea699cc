import { z } from 'zod';
import { byteSize, duration, positiveDuration } from './units.js';

/** The bounded buffer in front of a processor: how many batches wait, and which to drop. */
const buffer = z
  .strictObject({
    capacity: z.number().int().min(1).default(16),
    overflow: z.enum(['drop-oldest', 'drop-newest']).default('drop-oldest'),
  })
  .default({ capacity: 16, overflow: 'drop-oldest' });

const common = {
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lowercase letters, digits, - and _ only')
    .optional(),
  buffer,
};

const stdout = z.strictObject({ type: z.literal('stdout'), ...common });

const file = z.strictObject({
  type: z.literal('file'),
  ...common,
  path: z.string().min(1),
  maxSize: byteSize.default(100 * 1024 * 1024),
  maxFiles: z.number().int().min(0).default(5),
});

const webhook = z
  .strictObject({
    type: z.literal('webhook'),
    ...common,
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
    timeout: positiveDuration.default(10_000),
    retries: z.number().int().min(0).default(5),
    minRetryDelay: duration.default(500),
    maxRetryDelay: duration.default(30_000),
    bearerTokenFile: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .refine((value) => (value.certFile === undefined) === (value.keyFile === undefined), {
    error: 'expected certFile and keyFile together (a client certificate needs its key)',
    path: ['certFile'],
  })
  .superRefine((value, context) => {
    if (value.minRetryDelay <= value.maxRetryDelay) return;
    context.addIssue({
      code: 'custom',
      path: ['maxRetryDelay'],
      input: `${value.maxRetryDelay}ms`,
      message: `expected at least minRetryDelay (${value.minRetryDelay}ms)`,
    });
  });

/** One processor in a config file, told apart by `type`. */
export const processorSchema = z.discriminatedUnion('type', [stdout, file, webhook], {
  error: 'expected type to be one of stdout, file, webhook',
});

/** The processors of a config file, each with a unique name. */
export const processorsSchema = z
  .array(processorSchema)
  .min(1, 'expected at least one processor')
  .superRefine((processors, context) => {
    const seen = new Set<string>();
    processors.forEach((processor, index) => {
      const name = processor.name ?? processor.type;
      if (seen.has(name)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'name'],
          input: name,
          message: 'expected a name no other processor has (two of one type need a name each)',
        });
      }
      seen.add(name);
    });
  });

/** A processor's settings as parsed from a config file. */
export type ProcessorConfig = z.infer<typeof processorSchema>;
