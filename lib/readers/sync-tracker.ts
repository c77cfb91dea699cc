import type { ReaderEvent } from './reader-event.js';

/**
 * Whether each kind's initial state has been delivered and is still being kept up to date.
 *
 * `kinds` maps each kind read (such as `Pod`) to `true` once every namespace it watches has
 * delivered its initial state, and back to `false` for good when any of them fails (a
 * `failed` event says why), before or after syncing: its state is no longer current. A kind
 * named so that only the API server can say what it is (a custom resource's
 * `group/version/resource`, a bare name outside the built-in catalogue such as `sa`) is
 * keyed by that name, as written, instead. `all` turns `true` once every kind is
 * synced or has failed, and stays `true`: it says the initial lists are over, not that every
 * kind is healthy.
 */
export interface SyncState {
  readonly kinds: Readonly<Record<string, boolean>>;
  readonly all: boolean;
}

interface Selection {
  readonly kind: string;
  /** The namespaces watched, `undefined` standing for all namespaces or cluster scope. */
  readonly expected: ReadonlySet<string | undefined>;
  readonly synced: Set<string | undefined>;
  readonly failed: Set<string | undefined>;
}

/**
 * Folds `synced` and `failed` events of several kind selections into a {@link SyncState}.
 * Internal to `readCluster`.
 */
export class SyncTracker {
  private readonly selections: Selection[];
  private current: SyncState;

  constructor(kinds: ReadonlyArray<{ kind: string; namespaces: readonly (string | undefined)[] }>) {
    this.selections = kinds.map(({ kind, namespaces }) => ({
      kind,
      expected: new Set(namespaces),
      synced: new Set(),
      failed: new Set(),
    }));
    this.current = this.compute();
  }

  /** The state now. */
  get state(): SyncState {
    return this.current;
  }

  /** Records an event of selection `index`; answers the new state, or `undefined` if unchanged. */
  record(index: number, event: ReaderEvent): SyncState | undefined {
    const selection = this.selections[index];
    if (selection === undefined) return undefined;
    if (event.type === 'synced') selection.synced.add(event.target.namespace);
    else if (event.type === 'failed') selection.failed.add(event.target.namespace);
    else return undefined;
    const next = this.compute();
    const changed =
      next.all !== this.current.all ||
      Object.keys(next.kinds).some((kind) => next.kinds[kind] !== this.current.kinds[kind]);
    this.current = next;
    return changed ? next : undefined;
  }

  private compute(): SyncState {
    const kinds: Record<string, boolean> = {};
    let all = true;
    for (const selection of this.selections) {
      const done = (set: ReadonlySet<string | undefined>): boolean =>
        set.has(undefined) || [...selection.expected].every((namespace) => set.has(namespace));
      const synced = done(selection.synced) && selection.failed.size === 0;
      const settled =
        done(new Set([...selection.synced, ...selection.failed])) ||
        selection.failed.has(undefined);
      kinds[selection.kind] = (kinds[selection.kind] ?? true) && synced;
      all = all && settled;
    }
    return { kinds, all };
  }
}
