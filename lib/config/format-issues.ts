import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/**
 * Words for the issues zod reports in its own terms; schema fields with an `error` of their
 * own keep theirs. Pass as the `error` option of `safeParse`.
 */
export function describeExpectation(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values
        .map((value) => JSON.stringify(value))
        .join(', ')}`;
    case 'unrecognized_keys':
      return unknownFields(issue.keys, fieldsOf(issue.inst));
    default:
      return undefined;
  }
}

/** `unknown field timeSpann (timeSpann: did you mean timeSpan?); remove it or fix the spelling`. */
function unknownFields(keys: readonly string[], known: readonly string[]): string {
  const guesses = keys.flatMap((key) => {
    const limit = Math.max(1, Math.floor(key.length / 3));
    const close = known.filter(
      (field) => distance(key.toLowerCase(), field.toLowerCase()) <= limit,
    );
    return close.length === 0 ? [] : [`${key}: did you mean ${close.join(' or ')}?`];
  });
  return (
    `unknown field${keys.length === 1 ? '' : 's'} ${keys.join(', ')}` +
    (guesses.length === 0 ? '' : ` (${guesses.join('; ')})`) +
    `; remove ${keys.length === 1 ? 'it' : 'them'} or fix the spelling`
  );
}

/** The field names of the object schema that reported unknown keys, when zod says which. */
function fieldsOf(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: unknown } } } | undefined)?._zod?.def?.shape;
  return isRecord(shape) ? Object.keys(shape) : [];
}

/**
 * One line per issue: where (`processors[1].url`), what was expected, what was found.
 *
 * @param issues - from a failed `safeParse` run with `reportInput: true`.
 * @returns lines such as `processors[1].timeout: expected a duration such as 5s, found "5 sec"`.
 */
export function formatIssues(issues: readonly Issue[]): string[] {
  return issues.map((issue) => {
    const where = formatPath(issue.path);
    const input = inputAt(issue);
    const structured = isRecord(input);
    const found =
      issue.code === 'unrecognized_keys' || (structured && issue.code !== 'invalid_type')
        ? ''
        : `, found ${describeInput(input)}`;
    return `${where}: ${issue.message.replace(/^Too (small|big): /, '')}${found}`;
  });
}

/** `processors[1].url`; `(top level)` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/** A discriminated union reports the whole object; the field it names is what was wrong. */
function inputAt(issue: Issue): unknown {
  const last = issue.path[issue.path.length - 1];
  const input = issue.input;
  if (issue.code === 'invalid_union' && typeof last === 'string' && isRecord(input)) {
    return input[last];
  }
  return input;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing (the field is missing)';
  if (input === null) return 'null (an empty value)';
  if (Array.isArray(input)) return `a list of ${input.length}`;
  if (typeof input === 'object') return 'a mapping';
  const text = JSON.stringify(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
