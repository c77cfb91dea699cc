import { Subscription } from 'rxjs';
import type { Logger } from '../logger.js';
import type { ClusterReader } from '../readers/read-cluster.js';
import type { SyncState } from '../readers/sync-tracker.js';
import { kindOf } from './kind-of.js';
import type { CliMetrics } from './metrics.js';
import type { ListProgress } from './progress.js';

/** What {@link followReadiness} answers. */
export interface Readiness {
  /** For `/readyz`: whether every kind has delivered its initial list or failed for good. */
  readonly ready: () => boolean;
  /** Ends the following; `ready()` keeps its last answer. */
  readonly subscription: Subscription;
}

/**
 * Follows a cluster reader's sync state into `/readyz`, the `tattler_synced` gauge and the
 * progress line, and logs once when the initial lists are in.
 *
 * Ready (and it stays so) once the reader says every kind has settled and each kind has
 * either synced or sent a `failed` event: a kind that failed for good, such as one the
 * credentials may not list, does not hold readiness back (docs/decisions/0011). The failure
 * shows in `tattler_reader_failures_total`, in the progress line, in the command's error line
 * and in this warning when the lists are in.
 *
 * @param reader - the reader's `synced$` and `events$`.
 * @param sinks - where to log, count and show progress.
 * @returns the readiness and its subscription.
 */
export function followReadiness(
  reader: Pick<ClusterReader, 'synced$' | 'events$'>,
  sinks: { readonly logger: Logger; readonly metrics: CliMetrics; readonly progress: ListProgress },
): Readiness {
  const { logger, metrics, progress } = sinks;
  // From `failed` events, never from a `false` in the sync state, which also means "not yet".
  const failures = new Map<string, string>();
  let state: SyncState = { kinds: {}, all: false };
  let ready = false;

  const check = (): void => {
    const kinds = Object.entries(state.kinds);
    const settled = kinds.every(([name, synced]) => synced || failures.has(kindOf(name)));
    if (ready || !state.all || !settled) return;
    ready = true;
    progress.finish();
    // When every kind failed there is nothing to watch: the end of the run says so.
    if (!kinds.some(([, synced]) => synced)) return;
    if (failures.size === 0) {
      logger.info({ kinds: state.kinds }, 'initial lists delivered; watching for changes');
      return;
    }
    const failed = [...failures.keys()];
    logger.warn(
      { kinds: state.kinds, failed: Object.fromEntries(failures) },
      `initial lists delivered; watching for changes, except ${failed.join(', ')}, which ` +
        'failed for good (see the errors above); /readyz answers ready without them',
    );
  };

  const subscription = new Subscription();
  subscription.add(
    reader.events$.subscribe((event) => {
      if (event.type !== 'failed') return;
      failures.set(event.target.kind, event.error.message);
      check();
    }),
  );
  subscription.add(
    reader.synced$.subscribe((next) => {
      state = next;
      for (const [name, synced] of Object.entries(next.kinds)) {
        const kind = kindOf(name);
        metrics.synced.set({ kind }, synced ? 1 : 0);
        if (synced) progress.settle(kind, 'synced');
      }
      check();
    }),
  );
  return { ready: () => ready, subscription };
}
