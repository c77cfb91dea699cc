import { Agent, type Dispatcher } from 'undici';

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
   * KubeConfig's TLS settings) becomes the pool; later ones are closed unused. When the
   * KubeConfig builds none (no TLS settings), the pool is an undici `Agent` of its own, so
   * that {@link close} can end it, which undici's global dispatcher would not allow.
   *
   * @param signal the request's signal, to know later which dispatcher the request used.
   * @param fresh the dispatcher the KubeConfig built for this request, if any.
   * @returns the dispatcher to send the request through.
   * @throws Error when the pool is closed.
   */
  dispatcherFor(signal: AbortSignal, fresh: Dispatcher | undefined): Dispatcher {
    if (this.closed) {
      void fresh?.close().catch(() => undefined);
      throw new Error('the reader has been unsubscribed; its connections are closed');
    }
    // Limitation: without TLS settings the reader's own Agent is used, not undici's global
    // dispatcher, so a dispatcher set with setGlobalDispatcher (a proxy, say) is not used.
    if (this.current === undefined) this.current = fresh ?? new Agent();
    else void fresh?.close().catch(() => undefined);
    this.used.set(signal, this.current);
    return this.current;
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

  /**
   * Closes the pool: the current dispatcher once its requests have ended (their owners abort
   * them when they unsubscribe), the retired ones at once. Later requests fail.
   */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    const retired = [...this.retired];
    this.current = undefined;
    this.retired.clear();
    await Promise.all([
      current?.close().catch(() => undefined),
      ...retired.map((dispatcher) => dispatcher.destroy().catch(() => undefined)),
    ]);
  }
}
