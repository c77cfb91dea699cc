import type { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import type { TattlerConfig } from '../config/schema.js';
import { TattlerError } from '../entry/tattler-error.js';
import { redactUrl } from '../readers/request-failure.js';
import { ResourceDiscovery } from '../readers/resources-discovery.js';
import { resourceFor } from '../readers/resources-lookup.js';
import type { ResourceSpec } from '../readers/resources.js';

/** Where the kinds of a config were written, for error messages. */
export interface KindsOrigin {
  /** `true` when they came from `--kinds`. */
  readonly fromFlag: boolean;
  /** The config file's path, or `the defaults`. */
  readonly source: string;
}

type Kind = TattlerConfig['kinds'][number];

/**
 * Looks up on the API server the kinds only it can resolve (bare names outside the built-in
 * catalogue, such as `ServiceAccount` or a custom resource's `wd`) before any reader starts,
 * so that the command refuses to start with every name the server does not know, where it
 * was written and the closest names, as it does for other invalid kinds.
 *
 * A name the server resolves is replaced by its kind (`sa` becomes `ServiceAccount`) where
 * that kind names the same resource, so that entries, sync state, metrics and progress all
 * call it alike; a kind named twice that way is read once.
 *
 * Makes no request when every kind resolves without the server. When the server cannot be
 * asked (unreachable, no answer within 10 s, denied), answers the config as it was: the
 * readers look the names up themselves, retrying, and report what they find.
 *
 * @param config - the config, flags applied.
 * @param kubeConfig - the cluster to ask.
 * @param options - where the kinds were written, and a signal that gives up the lookup.
 * @returns the config with the names resolved, or a `ConfigError` with one line per name.
 */
// Limitation: `--kinds` is matched with the config's kinds (applyFlags) before the server is
// asked, so a name outside the catalogue matches only as written: `--kinds wd` does not keep
// the settings of `kind: Widget`. And when the server cannot be asked here, the names stay as
// written, so a kind found later by the readers that then fails for good (403) is not
// recognised by /readyz, which stays not ready.
export async function resolveKindsOnServer(
  config: TattlerConfig,
  kubeConfig: KubeConfig,
  options: KindsOrigin & { readonly signal?: AbortSignal },
): Promise<E.Either<TattlerError, TattlerConfig>> {
  const names = [...new Set(config.kinds.map(({ kind }) => kind))].filter((name) =>
    E.isLeft(resourceFor(name)),
  );
  if (names.length === 0) return E.right(config);
  const discovery = new ResourceDiscovery(kubeConfig, {
    timeoutMs: 10_000,
    signal: options.signal,
  });
  const where = options.fromFlag ? '--kinds' : `kinds (in ${options.source})`;
  const problems: string[] = [];
  const renamed = new Map<string, string>();
  try {
    for (const name of names) {
      const resolved = await discovery.resolve(name);
      if (E.isLeft(resolved)) {
        if (resolved.left._tag === 'ConfigError')
          problems.push(`  ${where}: ${resolved.left.message}`);
        continue;
      }
      if (await namesSame(discovery, resolved.right)) renamed.set(name, resolved.right.kind);
    }
  } finally {
    discovery.close();
  }
  const kinds = config.kinds.map((kind) => ({
    ...kind,
    kind: renamed.get(kind.kind) ?? kind.kind,
  }));
  problems.push(...repeated(kinds, where));
  if (problems.length === 0) return E.right({ ...config, kinds: readOnce(kinds) });
  const server = redactUrl(kubeConfig.getCurrentCluster()?.server ?? 'the current cluster');
  return E.left(
    new TattlerError(
      'ConfigError',
      `invalid kinds, as the API server at ${server} knows them:\n${problems.join('\n')}\n` +
        'Fix the names above.',
    ),
  );
}

/** Whether the spec's kind, as a name, resolves to the spec itself (not to another group's). */
async function namesSame(discovery: ResourceDiscovery, spec: ResourceSpec): Promise<boolean> {
  const byKind = await discovery.resolve(spec.kind);
  return (
    E.isRight(byKind) && byKind.right.group === spec.group && byKind.right.plural === spec.plural
  );
}

const settingsOf = ({ kind: _name, ...settings }: Kind): string => JSON.stringify(settings);

/** A kind named twice (as `sa` and `ServiceAccount`, say) with different settings. */
function repeated(kinds: readonly Kind[], where: string): string[] {
  const first = new Map<string, string>();
  return kinds.flatMap((kind) => {
    const earlier = first.get(kind.kind);
    if (earlier === undefined) first.set(kind.kind, settingsOf(kind));
    return earlier === undefined || earlier === settingsOf(kind)
      ? []
      : [`  ${where}: ${kind.kind} is named twice with different settings; merge the two`];
  });
}

function readOnce(kinds: readonly Kind[]): Kind[] {
  const seen = new Set<string>();
  return kinds.filter(({ kind }) => !seen.has(kind) && seen.add(kind) !== undefined);
}
