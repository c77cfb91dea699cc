import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { either as E } from 'fp-ts';
import { parseDocument } from 'yaml';
import { TattlerError } from '../entry/tattler-error.js';
import { describeExpectation, formatIssues } from './format-issues.js';
import { resolveConfigPaths } from './resolve-paths.js';
import { configSchema, type TattlerConfig } from './schema.js';

/**
 * Validates a config already parsed from YAML or JSON, filling in every default.
 *
 * @param raw - the parsed document; `null` or `undefined` (an empty file) means all defaults.
 * @param source - where it came from, for the message (a file name).
 * @returns the config, or a `ConfigError` whose message has one line per problem, naming the
 *   field path, what was expected and what was found.
 * @example
 * ```ts
 * import { parseConfig } from 'tattler';
 *
 * const config = parseConfig({ processors: [{ type: 'stdout' }] }, 'inline');
 * ```
 */
export function parseConfig(raw: unknown, source: string): E.Either<TattlerError, TattlerConfig> {
  const result = configSchema.safeParse(withoutEmptySections(raw), {
    reportInput: true,
    error: describeExpectation,
  });
  if (result.success) return E.right(result.data);
  const lines = formatIssues(result.error.issues).map((line) => `  ${line}`);
  return E.left(
    new TattlerError(
      'ConfigError',
      `invalid config in ${source}:\n${lines.join('\n')}\n` +
        'Fix the fields above; docs/config.md (in the repository or the installed package) ' +
        'describes every field.',
      { cause: result.error },
    ),
  );
}

/**
 * A section whose fields are all commented out parses as `null` in YAML; read it as absent,
 * so that its defaults apply.
 */
function withoutEmptySections(raw: unknown): unknown {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== null));
}

/**
 * Reads a YAML config file and validates it with {@link parseConfig}. File paths in it are
 * made absolute: `~` is the home directory, a relative path is relative to the file's own
 * directory.
 *
 * Resolves to a Left `ConfigError` when the file cannot be read, is not valid YAML (with the
 * line and column), or does not match the schema; it never rejects.
 *
 * @param path - the file.
 * @returns the config, or why it cannot be used.
 * @example
 * ```ts
 * import { loadConfig } from 'tattler';
 *
 * const config = await loadConfig('examples/tattler.yaml');
 * ```
 */
export async function loadConfig(path: string): Promise<E.Either<TattlerError, TattlerConfig>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    return E.left(
      new TattlerError(
        'ConfigError',
        `cannot read the config file ${path} (${code}); expected a readable YAML file. ` +
          'Check the path given to --config.',
        { cause },
      ),
    );
  }
  const document = parseDocument(text, { prettyErrors: true });
  const [first] = document.errors;
  if (first !== undefined) {
    return E.left(
      new TattlerError(
        'ConfigError',
        `the config file ${path} is not valid YAML: ${first.message}\n` +
          'Fix the YAML syntax at that line.',
        { cause: first },
      ),
    );
  }
  return E.map((config: TattlerConfig) => resolveConfigPaths(config, dirname(resolve(path))))(
    parseConfig(document.toJS(), path),
  );
}
