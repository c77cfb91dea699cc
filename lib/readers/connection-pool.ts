import type { Dispatcher } from 'undici';

/**
 * The connections of one reader to the API server: one undici dispatcher that every request
 * shares, replaced when a request on it is presumed dead, and ended by {@link close}.
 *
 * undici negotiates HTTP/2 when the server offers it, as the API server does, so all the
 * watches of a reader share one connection. A stream that stops receiving bytes is the only
 * sign that such a connection died silently (a NAT or load balancer dropped it, the peer
 * hangs): aborting that stream resets the stream alone, and the next request would go over
 * the same dead connection. So a request that went idle retires the whole dispatcher; the
 * next requests open a fresh connection, and the requests still on the old one end on their
 * own (each one's idle timer, or the server's answer).
 */
export class ConnectionPool {
  private current: Dispatcher | undefined;
  private readonly retired = new Set<Dispatcher>();
  private readonly used = new WeakMap<AbortSignal, Dispatcher>();
  private closed = false;

  /**
   * The dispatcher for one request. The first request's `fresh` dispatcher (built from the
   * KubeConfig's TLS settings) becomes the pool; later ones are closed unused.
   *
   * @param signal the request's signal, to know later which dispatcher the request used.
   * @param fresh the dispatcher the KubeConfig built for this request, if any.
   * @returns the dispatcher to send the request through.
   */
  dispatcherFor(signal: AbortSignal, fresh: Dispatcher | undefined): Dispatcher | undefined {
    if (fresh === undefined) return this.current;
    if (this.current === undefined && !this.closed) this.current = fresh;
    else if (this.current !== undefined) void fresh.close().catch(() => undefined);
    const dispatcher = this.current ?? fresh;
    this.used.set(signal, dispatcher);
    return dispatcher;
  }

  /**
   * Retires the dispatcher that the request with `signal` used, unless it was already
   * replaced: later requests get a new one; the requests still on it go on until they end,
   * and then it closes.
   */
  presumeDead(signal: AbortSignal): void {
    const dispatcher = this.used.get(signal);
    if (dispatcher === undefined || dispatcher !== this.current) return;
    this.current = undefined;
    this.retired.add(dispatcher);
    void dispatcher
      .close()
      .catch(() => undefined)
      .finally(() => this.retired.delete(dispatcher));
  }

  /** Closes the pool: open requests end and later ones fail. */
  async close(): Promise<void> {
    this.closed = true;
    const dispatchers = [this.current, ...this.retired];
    this.current = undefined;
    this.retired.clear();
    await Promise.all(
      dispatchers.map((dispatcher) => dispatcher?.destroy().catch(() => undefined)),
    );
  }
}
