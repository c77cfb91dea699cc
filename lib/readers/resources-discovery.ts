import type { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';
import { servedResources } from './resources-aggregated.js';
import { groupVersionResources, specFromGroupVersion } from './resources-group-version.js';
import { isBareResourceName, resourceFor } from './resources-lookup.js';
import { matchResource } from './resources-match.js';
import type { ServedResource } from './resources-served.js';
import { apiVersionOf, type ResourceSpec } from './resources.js';

type Served = E.Either<TattlerError, readonly ServedResource[]>;

/**
 * Resolves resource names on one API server, asking each discovery document at most once:
 * the aggregated documents (`/api` and `/apis`, two requests) for the first bare name
 * outside the catalogue, one group/version document for each group/version named. Internal
 * to the readers, which keep one per reader start; {@link discoverResources} is the public
 * face.
 *
 * A failed request is not kept, so asking again (a retry) sends it again.
 */
export class ResourceDiscovery {
  private all: Promise<Served> | undefined;
  private readonly groupVersions = new Map<string, Promise<Served>>();
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
  ) {
    const signals = [this.controller.signal];
    if (options.signal !== undefined) signals.push(options.signal);
    this.signal = AbortSignal.any(signals);
  }

  /**
   * The spec of a name, as the API server describes it: a built-in kind or a
   * `group/version/resource` from its group/version's document, any other bare name from
   * aggregated discovery. Never rejects.
   */
  async resolve(name: string): Promise<E.Either<TattlerError, ResourceSpec>> {
    const parsed = resourceFor(name);
    if (E.isRight(parsed)) {
      const served = await this.groupVersion(parsed.right);
      return E.isLeft(served) ? served : specFromGroupVersion(parsed.right, served.right);
    }
    if (!isBareResourceName(name)) return parsed;
    const served = await this.everything();
    if (E.isLeft(served)) {
      const { left } = served;
      if (left._tag !== 'ConfigError') return served;
      return E.left(
        new TattlerError(
          'ConfigError',
          `cannot look up "${name}": ${left.message}. Write it as group/version/resource, ` +
            'such as example.com/v1/widgets',
          { cause: left },
        ),
      );
    }
    return matchResource(name, served.right);
  }

  /** Aborts the requests in flight; later calls fail. */
  close(): void {
    this.controller.abort(new Error('the discovery was closed'));
  }

  private everything(): Promise<Served> {
    this.all ??= this.remembered(servedResources(this.kubeConfig, this.requestOptions()), () => {
      this.all = undefined;
    });
    return this.all;
  }

  private groupVersion(spec: ResourceSpec): Promise<Served> {
    const key = apiVersionOf(spec);
    let served = this.groupVersions.get(key);
    if (served === undefined) {
      served = this.remembered(
        groupVersionResources(this.kubeConfig, spec, this.requestOptions()),
        () => this.groupVersions.delete(key),
      );
      this.groupVersions.set(key, served);
    }
    return served;
  }

  // Limitation: a failed answer is forgotten at once, so while the server cannot be reached
  // each kind that waits for a lookup retries on its own timer and sends its own requests.
  /** Forgets a failed answer, so that the next call asks again. */
  private remembered(answer: Promise<Served>, forget: () => void): Promise<Served> {
    return answer.then((served) => {
      if (E.isLeft(served)) forget();
      return served;
    });
  }

  private requestOptions(): { timeoutMs: number; signal: AbortSignal } {
    return { timeoutMs: this.options.timeoutMs ?? 30_000, signal: this.signal };
  }
}
