import { type Observable, type Observer, type Subscription, takeWhile } from 'rxjs';

/**
 * Subscribes an operator's observer to its source so that the source stops as soon as the
 * operator's output closes, even in the middle of a synchronous emission.
 *
 * Inside `new Observable(...)`, a plain `source.subscribe(observer)` hands back the upstream
 * subscription only once a synchronous source (`from(array)`, `range`) has emitted all it
 * has. An output that closed before then, unsubscribed by `take(1)` or ended by an error,
 * would keep pulling values it can no longer deliver, and an endless one would never return.
 * `takeWhile` stops such a source at its next value, with public API only (RxJS's own
 * operators chain their internal subscribers instead).
 *
 * @param source the operator's source.
 * @param output the operator's subscriber, whose `closed` says when to stop.
 * @param observer what to do with the source's notifications while `output` is open.
 * @returns the subscription to the source.
 */
export function subscribeWhileOpen<T>(
  source: Observable<T>,
  output: { readonly closed: boolean },
  observer: Observer<T>,
): Subscription {
  return source.pipe(takeWhile(() => !output.closed)).subscribe({
    next: (value) => observer.next(value),
    error: (error: unknown) => {
      if (!output.closed) observer.error(error);
    },
    complete: () => {
      if (!output.closed) observer.complete();
    },
  });
}
