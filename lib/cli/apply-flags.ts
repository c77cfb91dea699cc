import type { TattlerConfig } from '../config/schema.js';
import type { CliFlags } from './flags.js';

/**
 * Lays the command-line flags over a validated config: a flag, when given, wins.
 *
 * `--kinds` replaces the config's kinds (keeping the settings of a kind listed in both);
 * `-n` and `-l` then apply to every kind.
 *
 * @param config - from the config file, or the defaults.
 * @param flags - as parsed.
 * @returns a new config.
 */
export function applyFlags(config: TattlerConfig, flags: CliFlags): TattlerConfig {
  const byName = new Map(config.kinds.map((kind) => [kind.kind.toLowerCase(), kind]));
  const kinds = (
    flags.kinds?.map((name) => byName.get(name.toLowerCase()) ?? { kind: name }) ?? config.kinds
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
      ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
    },
    metrics: {
      ...config.metrics,
      ...(flags.metricsPort === undefined ? {} : { port: flags.metricsPort }),
    },
    logLevel: (flags.logLevel as TattlerConfig['logLevel'] | undefined) ?? config.logLevel,
  };
}
