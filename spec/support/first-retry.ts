import type { KubeConfig } from '@kubernetes/client-node';
import { filter, firstValueFrom, map } from 'rxjs';
import { readKind, type ReaderEvent } from '../../lib/index.js';

/** The first retry of a reader of Pods; unsubscribes once it is there. */
export function firstRetry(
  kubeConfig: KubeConfig,
): Promise<Extract<ReaderEvent, { type: 'retry' }>> {
  return firstValueFrom(
    readKind(kubeConfig, { resource: 'Pod' }).pipe(
      map((signal) => (signal.type === 'event' ? signal.event : undefined)),
      filter((event): event is Extract<ReaderEvent, { type: 'retry' }> => event?.type === 'retry'),
    ),
  );
}
