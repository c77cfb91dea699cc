import { BehaviorSubject, Observable, Subject } from 'rxjs';
import type {
  ClusterReader,
  ClusterReaderOptions,
  Entry,
  ReaderEvent,
  ReaderTarget,
  SyncState,
} from '../../lib/index.js';

/** A stand-in for `readCluster`: its streams are driven by the test, and it counts readers. */
export interface FakeReader {
  /** Pass as `openReader` of `runTattler`. */
  readonly open: (kubeConfig: unknown, options: ClusterReaderOptions) => ClusterReader;
  readonly entries: Subject<Entry>;
  readonly events: Subject<ReaderEvent>;
  readonly synced: BehaviorSubject<SyncState>;
  /** Subscriptions to any of the three streams still open: 0 means nothing is read. */
  readonly subscribers: () => number;
  /** The options `runTattler` opened the reader with. */
  readonly options: () => ClusterReaderOptions | undefined;
}

export function fakeReader(): FakeReader {
  const entries = new Subject<Entry>();
  const events = new Subject<ReaderEvent>();
  const synced = new BehaviorSubject<SyncState>({ kinds: {}, all: false });
  let subscribers = 0;
  let opened: ClusterReaderOptions | undefined;
  const counted = <T>(source$: Observable<T>): Observable<T> =>
    new Observable<T>((subscriber) => {
      subscribers += 1;
      const subscription = source$.subscribe(subscriber);
      return () => {
        subscribers -= 1;
        subscription.unsubscribe();
      };
    });
  return {
    open: (_kubeConfig, options) => {
      opened = options;
      return {
        entries$: counted(entries.asObservable()),
        events$: counted(events.asObservable()),
        synced$: counted(synced.asObservable()),
      };
    },
    entries,
    events,
    synced,
    subscribers: () => subscribers,
    options: () => opened,
  };
}

/** The target of a kind read in all namespaces. */
export function targetOf(kind: string): ReaderTarget {
  return { kind, resource: `v1/${kind.toLowerCase()}s`, namespace: undefined };
}
