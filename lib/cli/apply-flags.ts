import { resolveConfigPath } from '../config/resolve-paths.js';
import type { TattlerConfig } from '../config/schema.js';
import type { CliFlags } from './flags.js';
import { kindOf } from './kind-of.js';

/**
 * Lays the command-line flags over a validated config: a flag, when given, wins.
 *
 * `--kinds` replaces the config's kinds (keeping the settings of a kind listed in both, however
 * either names it: `pods`, `po` and `Pod` are one kind, read once); `-n` and `-l` then apply
 * to every kind.
 *
 * @param config - from the config file, or the defaults.
 * @param flags - as parsed.
 * @returns a new config.
 */
export function applyFlags(config: TattlerConfig, flags: CliFlags): TattlerConfig {
  // By the kind names resolve to, so that `--kinds pods` finds the config's `kind: Pod`.
  const byKind = new Map(config.kinds.map((kind) => [kindOf(kind.kind), kind]));
  const named = flags.kinds === undefined ? undefined : firstOfEachKind(flags.kinds);
  const kinds = (
    named?.map((name) => byKind.get(kindOf(name)) ?? { kind: name }) ?? config.kinds
  ).map((kind) => ({
    ...kind,
    ...(flags.namespace === undefined ? {} : { namespaces: flags.namespace }),
    ...(flags.selector === undefined ? {} : { selector: flags.selector }),
  }));
  return {
    ...config,
    kinds,
    cluster: {
      ...config.cluster,
      ...(flags.kubeconfig === undefined
        ? {}
        : { kubeconfig: resolveConfigPath(flags.kubeconfig, process.cwd()) }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
    },
    metrics: {
      ...config.metrics,
      ...(flags.metricsPort === undefined ? {} : { port: flags.metricsPort }),
    },
    logLevel: (flags.logLevel as TattlerConfig['logLevel'] | undefined) ?? config.logLevel,
  };
}

/** The names in order, leaving out each that names a kind an earlier one named. */
function firstOfEachKind(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const kind = kindOf(name);
    if (seen.has(kind)) return false;
    seen.add(kind);
    return true;
  });
}
