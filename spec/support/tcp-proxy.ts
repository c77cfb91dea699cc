/**
 * A TCP proxy for fault injection in front of the test API server: cut every open
 * connection, stall traffic (all of it, or only the connections open now), slow the
 * server's answers down, or refuse new connections, on demand. TLS passes through untouched;
 * the server certificate is valid for 127.0.0.1 and localhost on any port.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import type { KubeConfig } from '@kubernetes/client-node';
import type { TestClusterInfo, TestUser } from './cluster-info.js';
import { kubeConfigFor } from './cluster-kubeconfig.js';

/** Where the proxy forwards to. */
export interface TcpProxyTarget {
  readonly host: string;
  readonly port: number;
}

/** A running proxy; every method acts at once on the live connections. */
export interface TcpProxy {
  /** The local port the proxy listens on (127.0.0.1), the same across refuse()/accept(). */
  readonly port: number;
  /** `https://127.0.0.1:<port>`: the API server's URL through the proxy. */
  readonly url: string;
  /**
   * Closes every open connection abruptly (a TCP reset, or a plain close for a socket already
   * half-closed or still connecting); new connections are still accepted.
   */
  cutAll(): void;
  /** Holds all bytes in both directions; connections stay open; new ones are accepted but stall too. */
  stall(): void;
  /**
   * Holds all bytes of the connections open now, in both directions, as a connection that
   * died silently would; connections opened later flow normally.
   */
  pauseExisting(): void;
  /** Ends a stall or a pause: held bytes flow again. */
  resume(): void;
  /**
   * Passes at most `bytesPerSecond` from the server to the client on each connection, open or
   * new, in small pieces so that bytes keep arriving; `undefined` lifts the limit.
   */
  throttle(bytesPerSecond: number | undefined): void;
  /** Stops listening: new connections get ECONNREFUSED; open ones go on. */
  refuse(): Promise<void>;
  /** Listens again on the same port after refuse(). */
  accept(): Promise<void>;
  /** Connections open right now. */
  openConnections(): number;
  /** Resolves once the proxy has passed `bytes` more from the server, counted from now. */
  bytesFromServer(bytes: number): Promise<void>;
  /** Connections accepted since the start. */
  totalConnections(): number;
  /** Cuts everything and stops listening. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Held by pauseExisting() until resume(). */
  paused: boolean;
  /** Resume the two directions, each unless it is still sending a throttled chunk. */
  readonly resume: () => void;
}

/** How a forwarded direction behaves right now. */
interface Flow {
  readonly isHeld: () => boolean;
  /** Bytes per second, or undefined for no limit. */
  readonly rate: () => number | undefined;
  /** Told of every piece written. */
  readonly wrote?: (bytes: number) => void;
}

/** Pieces are sent this often while throttled. */
const THROTTLE_TICK_MS = 20;

/** Forwards `from` to `to`; answers a function that resumes reading `from` when it may. */
function forward(from: Socket, to: Socket, flow: Flow): () => void {
  let sending = false;
  const resume = (): void => {
    if (!flow.isHeld() && !sending) from.resume();
  };
  // Writes a chunk one piece per tick, waiting while held, then reads on.
  const sendSlowly = (chunk: Buffer, pieceBytes: number): void => {
    let at = 0;
    const next = (): void => {
      if (to.destroyed) return;
      if (!flow.isHeld()) {
        const piece = chunk.subarray(at, at + pieceBytes);
        to.write(piece);
        flow.wrote?.(piece.length);
        at += pieceBytes;
      }
      if (at < chunk.length) {
        setTimeout(next, THROTTLE_TICK_MS);
        return;
      }
      sending = false;
      resume();
    };
    next();
  };
  from.on('data', (chunk: Buffer) => {
    const rate = flow.rate();
    if (rate !== undefined) {
      sending = true;
      from.pause();
      sendSlowly(chunk, Math.max(1, Math.floor((rate * THROTTLE_TICK_MS) / 1000)));
      return;
    }
    const flushed = to.write(chunk);
    flow.wrote?.(chunk.length);
    if (!flushed) {
      from.pause();
      to.once('drain', resume);
    }
  });
  from.on('end', () => to.end());
  return resume;
}

function cut(socket: Socket): void {
  if (socket.destroyed) return;
  // A reset is refused (EINVAL) while a shutdown that end() began is pending, and the socket,
  // already marked destroyed, then never closes its handle: Node's exit waits for it forever.
  // A socket still connecting has nothing to reset either.
  if (socket.writableEnded || socket.connecting) {
    socket.destroy();
    return;
  }
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/**
 * Starts a TCP proxy on a free loopback port forwarding to `target`.
 *
 * @param target the API server's host and port (e.g. `{ host: '127.0.0.1', port: cluster.port }`)
 * @returns the running proxy
 * @example
 * const proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
 * const kc = kubeConfigViaProxy(cluster, 'admin', proxy);
 * proxy.cutAll();
 * await proxy.close();
 */
export async function startTcpProxy(target: TcpProxyTarget): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let stalled = false;
  let rate: number | undefined;
  let total = 0;
  let fromServer = 0;
  const byteWaiters = new Set<{ readonly bytes: number; readonly resolve: () => void }>();
  const wroteFromServer = (bytes: number): void => {
    fromServer += bytes;
    for (const waiter of [...byteWaiters]) {
      if (fromServer < waiter.bytes) continue;
      byteWaiters.delete(waiter);
      waiter.resolve();
    }
  };
  let server: Server | undefined;
  let port = 0;

  const onConnection = (client: Socket): void => {
    total += 1;
    const upstream = connect(target.port, target.host);
    const flows: (() => void)[] = [];
    const pair: Pair = {
      client,
      upstream,
      paused: false,
      resume: () => flows.forEach((resume) => resume()),
    };
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      cut(client);
      cut(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    const isHeld = (): boolean => stalled || pair.paused;
    flows.push(
      forward(client, upstream, { isHeld, rate: () => undefined }),
      forward(upstream, client, { isHeld, rate: () => rate, wrote: wroteFromServer }),
    );
    if (stalled) {
      client.pause();
      upstream.pause();
    }
  };

  const listen = async (): Promise<void> => {
    const next = createServer(onConnection);
    next.listen(port, '127.0.0.1');
    await once(next, 'listening');
    const address = next.address();
    if (address && typeof address === 'object') port = address.port;
    server = next;
  };

  const stopListening = async (): Promise<void> => {
    const current = server;
    server = undefined;
    if (!current) return;
    // close() stops listening at once but calls back only when every connection has ended,
    // so it is not awaited; a turn of the event loop lets the listening socket go.
    current.close();
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const cutAll = (): void => {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      cut(pair.client);
      cut(pair.upstream);
    }
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `https://127.0.0.1:${port}`;
    },
    cutAll,
    stall() {
      stalled = true;
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream.pause();
      }
    },
    pauseExisting() {
      for (const pair of pairs) {
        pair.paused = true;
        pair.client.pause();
        pair.upstream.pause();
      }
    },
    resume() {
      stalled = false;
      for (const pair of pairs) {
        pair.paused = false;
        pair.resume();
      }
    },
    throttle(bytesPerSecond) {
      rate = bytesPerSecond;
    },
    refuse: stopListening,
    async accept() {
      if (!server) await listen();
    },
    openConnections: () => pairs.size,
    bytesFromServer: (bytes) =>
      new Promise<void>((resolve) => {
        const target = fromServer + bytes;
        byteWaiters.add({ bytes: target, resolve });
        wroteFromServer(0);
      }),
    totalConnections: () => total,
    async close() {
      await stopListening();
      cutAll();
    },
  };
}

/**
 * A KubeConfig for one user of a test cluster that goes through a proxy.
 *
 * @param info the cluster
 * @param user `'admin'` or `'restricted'`
 * @param proxy the proxy in front of that cluster
 * @returns the KubeConfig
 */
export function kubeConfigViaProxy(
  info: Pick<TestClusterInfo, 'server' | 'caFile' | 'tokens'>,
  user: TestUser,
  proxy: Pick<TcpProxy, 'url'>,
): KubeConfig {
  return kubeConfigFor(info, user, proxy.url);
}
