import { either as E } from 'fp-ts';
import { z } from 'zod';
import { resourceFor } from '../readers/resources-lookup.js';
import { kindNameProblem } from './kind-names.js';
import { processorsSchema } from './processors-schema.js';
import { duration, positiveDuration } from './units.js';

const FIELD_PATH_HINT =
  'expected a dotted path such as metadata.managedFields, or a list of path segments';

const fieldPath = z.union(
  [
    z
      .string()
      .min(1)
      .refine((path) => !path.split('.').includes(''), {
        error: `${FIELD_PATH_HINT}, without empty segments`,
      }),
    z.array(z.string().min(1)).min(1),
  ],
  { error: (issue) => describeFieldPath(issue.input) },
);

/** Names the bad segment of a list, which the union's own issue would leave out. */
function describeFieldPath(input: unknown): string {
  if (!Array.isArray(input)) return FIELD_PATH_HINT;
  const index = input.findIndex((segment) => typeof segment !== 'string' || segment === '');
  if (index < 0) return `${FIELD_PATH_HINT}, with at least one segment`;
  const segment: unknown = input[index];
  const what = segment === '' ? 'empty' : `${JSON.stringify(segment)} (a ${typeof segment})`;
  return `${FIELD_PATH_HINT}; each segment a non-empty string, but segment ${index} is ${what}`;
}

const kind = z.strictObject({
  kind: z
    .string()
    .min(1)
    .superRefine((name, context) => {
      const problem = kindNameProblem(name);
      if (problem !== undefined)
        context.addIssue({ code: 'custom', input: name, message: problem });
    }),
  namespaces: z.array(z.string().min(1)).optional(),
  selector: z.string().optional(),
  fieldSelector: z.string().optional(),
  metadataOnly: z.boolean().optional(),
});

const pattern = z.string().refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected a valid regular expression' },
);

type KindConfig = z.output<typeof kind>;

/** The kind a name resolves to (`pods`, `po` -> `Pod`); a name that does not, as written. */
const resolvedKind = (name: string): string => {
  const resolved = resourceFor(name);
  return E.isRight(resolved) ? resolved.right.kind : name;
};
const settingsOf = ({ kind: _name, ...settings }: KindConfig): string => JSON.stringify(settings);

/** A kind listed twice (as `Pod` and `pods`, say) with different settings is ambiguous. */
function eachKindOnce(kinds: readonly KindConfig[], context: z.RefinementCtx): void {
  const first = new Map<string, { index: number; settings: string }>();
  kinds.forEach((entry, index) => {
    const key = resolvedKind(entry.kind);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, { index, settings: settingsOf(entry) });
    } else if (earlier.settings !== settingsOf(entry)) {
      context.addIssue({
        code: 'custom',
        path: [index, 'kind'],
        input: entry.kind,
        message:
          `expected each kind once, but this names ${key} like kinds[${earlier.index}] with ` +
          'other settings; merge the two',
      });
    }
  });
}

/** The same kind listed twice with the same settings is read once. */
function withoutRepeats(kinds: KindConfig[]): KindConfig[] {
  const seen = new Set<string>();
  return kinds.filter((entry) => {
    const key = resolvedKind(entry.kind);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The kinds read when a config file names none. */
export const DEFAULT_KINDS = ['Namespace', 'Node', 'Pod'] as const;

/**
 * The schema of a `tattler` config file; `docs/config.md` describes every field.
 *
 * Unknown fields are errors, so a misspelt field is reported rather than silently ignored.
 */
export const configSchema = z.strictObject({
  cluster: z
    .strictObject({
      kubeconfig: z.string().min(1).optional(),
      context: z.string().min(1).optional(),
      inCluster: z.enum(['auto', 'always', 'never']).default('auto'),
    })
    .default({ inCluster: 'auto' }),
  kinds: z
    .array(kind)
    .min(1, 'expected at least one kind')
    .superRefine(eachKindOnce)
    .transform(withoutRepeats)
    .default(DEFAULT_KINDS.map((name) => ({ kind: name }))),
  reader: z
    .strictObject({
      initialList: z.enum(['auto', 'paginated', 'streaming']).default('auto'),
      pageSize: z.number().int().min(1).default(500),
      relistInterval: positiveDuration.optional(),
    })
    .default({ initialList: 'auto', pageSize: 500 }),
  batch: z
    .strictObject({
      timeSpan: positiveDuration.default(1000),
      maxSize: z.number().int().min(1).default(500),
    })
    .default({ timeSpan: 1000, maxSize: 500 }),
  redaction: z.strictObject({ envNames: pattern.optional() }).default({}),
  preprocess: z
    .strictObject({ dropFields: z.array(fieldPath).default(['metadata.managedFields']) })
    .default({ dropFields: ['metadata.managedFields'] }),
  processors: processorsSchema.default([
    { type: 'stdout', buffer: { capacity: 16, overflow: 'drop-oldest' } },
  ]),
  metrics: z
    .strictObject({
      port: z.number().int().min(0).max(65535).optional(),
      host: z.string().min(1).default('0.0.0.0'),
    })
    .default({ host: '0.0.0.0' }),
  shutdown: z.strictObject({ timeout: duration.default(10_000) }).default({ timeout: 10_000 }),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

/** A config file as written: every field optional. */
export type ConfigInput = z.input<typeof configSchema>;

/** A validated config with every default filled in; durations in ms, sizes in bytes. */
export type TattlerConfig = z.output<typeof configSchema>;
