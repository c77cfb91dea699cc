import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { ProcessorConfig } from './processors-schema.js';
import type { TattlerConfig } from './schema.js';

/**
 * Makes a path of a config file absolute, as most tools read their config: a leading `~`
 * is the home directory, and a relative path is relative to the config file's directory (not
 * to wherever the command was started).
 *
 * @param path - as written.
 * @param base - the config file's directory.
 * @param home - the home directory; the user's by default.
 * @returns the absolute path.
 */
export function resolveConfigPath(path: string, base: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(base, path);
}

/**
 * The config with every file path in it (`cluster.kubeconfig`, a file processor's `path`, a
 * webhook's `bearerTokenFile`, `caFile`, `certFile` and `keyFile`) made absolute by
 * {@link resolveConfigPath}.
 */
export function resolveConfigPaths(
  config: TattlerConfig,
  base: string,
  home?: string,
): TattlerConfig {
  const at = (path: string): string => resolveConfigPath(path, base, home);
  const optional = (path: string | undefined): string | undefined =>
    path === undefined ? undefined : at(path);
  const processor = (entry: ProcessorConfig): ProcessorConfig => {
    if (entry.type === 'file') return { ...entry, path: at(entry.path) };
    if (entry.type !== 'webhook') return entry;
    return withDefined({
      ...entry,
      bearerTokenFile: optional(entry.bearerTokenFile),
      caFile: optional(entry.caFile),
      certFile: optional(entry.certFile),
      keyFile: optional(entry.keyFile),
    });
  };
  return {
    ...config,
    cluster: withDefined({ ...config.cluster, kubeconfig: optional(config.cluster.kubeconfig) }),
    processors: config.processors.map(processor),
  };
}

/** The object without the keys whose value is `undefined`, so that optional fields stay absent. */
function withDefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
