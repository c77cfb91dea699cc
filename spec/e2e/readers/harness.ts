/**
 * Helpers for the reader end-to-end tests: record what a reader emits, wait for a condition
 * on it (checked on every emission, never by sleeping), and rebuild state from entries.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Subscription } from 'rxjs';
import type { ClusterReader, Entry, ReaderEvent, SyncState } from '../../../lib/index.js';

/** One thing a reader emitted, on any of its three streams. */
export type Recorded =
  | { readonly type: 'entry'; readonly entry: Entry }
  | { readonly type: 'event'; readonly event: ReaderEvent }
  | { readonly type: 'sync'; readonly state: SyncState };

/** What a reader emitted so far, and a way to wait for more. */
export interface Recording {
  readonly entries: Entry[];
  readonly events: ReaderEvent[];
  readonly syncs: SyncState[];
  /**
   * Everything above in the one order it was emitted in: the three streams share one reading,
   * so this shows, for example, whether a `synced` state came before or after an entry.
   */
  readonly log: Recorded[];
  /** Resolves once `predicate` holds; rejects with `what` after `timeoutMs` (a guard only). */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Unsubscribes from the reader. */
  stop(): void;
}

/** Subscribes to all three streams of a reader and records them. */
export function record(reader: ClusterReader): Recording {
  const entries: Entry[] = [];
  const events: ReaderEvent[] = [];
  const syncs: SyncState[] = [];
  const log: Recorded[] = [];
  const waiters = new Set<() => void>();
  const check = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const subscriptions: Subscription[] = [
    reader.entries$.subscribe((entry) => {
      entries.push(entry);
      log.push({ type: 'entry', entry });
      check();
    }),
    reader.events$.subscribe((event) => {
      events.push(event);
      log.push({ type: 'event', event });
      check();
    }),
    reader.synced$.subscribe((state) => {
      syncs.push(state);
      log.push({ type: 'sync', state });
      check();
    }),
  ];
  return {
    entries,
    events,
    syncs,
    log,
    waitFor: (predicate, what, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate()) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const recent = events.slice(-8).map((event) => event.type);
          reject(new Error(`timed out waiting for ${what}; last events: ${recent.join(', ')}`));
        }, timeoutMs);
        const waiter = (): void => {
          if (!predicate()) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve();
        };
        waiters.add(waiter);
      }),
    stop: () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}

/** An object's identity and version, as state is compared. */
export interface Version {
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly resourceVersion: string;
}

/** Applies entries in order: `deleted` removes the UID, anything else sets it. */
export function applyEntries(entries: readonly Entry[]): Map<string, Version> {
  const state = new Map<string, Version>();
  for (const entry of entries) {
    if (entry.change === 'deleted') state.delete(entry.uid);
    else
      state.set(entry.uid, {
        kind: entry.kind,
        namespace: entry.namespace,
        name: entry.name,
        resourceVersion: entry.resourceVersion,
      });
  }
  return state;
}

interface Listed {
  readonly items: ReadonlyArray<{
    readonly metadata?: {
      readonly uid?: string;
      readonly name?: string;
      readonly namespace?: string;
      readonly resourceVersion?: string;
    };
  }>;
}

/** A fresh list of one kind in one namespace, as UID -> version. */
export async function listState(
  kc: KubeConfig,
  kind: 'Pod' | 'ConfigMap' | 'Service' | 'Deployment',
  namespace: string,
): Promise<Map<string, Version>> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const listed: Listed =
    kind === 'Pod'
      ? await core.listNamespacedPod({ namespace })
      : kind === 'ConfigMap'
        ? await core.listNamespacedConfigMap({ namespace })
        : kind === 'Service'
          ? await core.listNamespacedService({ namespace })
          : await apps.listNamespacedDeployment({ namespace });
  const state = new Map<string, Version>();
  for (const item of listed.items) {
    const metadata = item.metadata ?? {};
    state.set(metadata.uid ?? '', {
      kind,
      namespace: metadata.namespace,
      name: metadata.name ?? '',
      resourceVersion: metadata.resourceVersion ?? '',
    });
  }
  return state;
}

/** Only the entries of one kind in one namespace. */
export const inNamespace = (entries: readonly Entry[], kind: string, namespace: string): Entry[] =>
  entries.filter((entry) => entry.kind === kind && entry.namespace === namespace);

/** A minimal Pod manifest (no kubelet runs, so it stays Pending). */
export function podManifest(name: string, labels: Record<string, string> = {}): object {
  return {
    metadata: { name, labels },
    spec: { containers: [{ name: 'main', image: 'registry.invalid/none:1' }] },
  };
}
