import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  readonly port: number;
  readonly host: string;
  readonly registry: Registry;
  /** Answers whether every reader has synced, for `/readyz`. */
  readonly ready: () => boolean;
}

/** A running metrics server. */
export interface MetricsServer {
  /** The port it listens on (useful when 0 asked for any free port). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (Prometheus text format), `/healthz` (200 while the process runs) and
 * `/readyz` (200 once every reader has synced, 503 before) over plain HTTP.
 *
 * Resolves once listening; rejects when the port cannot be bound.
 *
 * @param options - see {@link MetricsServerOptions}.
 * @returns the server, with the port it listens on.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) =>
          response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        () => response.writeHead(500).end('metrics collection failed\n'),
      );
    } else if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const ready = options.ready();
      response
        .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ready ? 'ready\n' : 'initial lists still running\n');
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Why the metrics server could not listen, naming the setting to fix: the port when it is
 * taken or privileged, the host when it is not an address of this machine or does not
 * resolve.
 *
 * @param error - what `startMetricsServer` rejected with.
 * @param where - the host and port it was asked to listen on.
 * @returns one sentence with the fix.
 */
export function describeBindFailure(
  error: unknown,
  where: { readonly host: string; readonly port: number },
): string {
  const { host, port } = where;
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return `metrics port ${port} is already in use; choose another with --metrics-port`;
    case 'EACCES':
      return (
        `may not listen on metrics port ${port} (ports below 1024 need privileges); ` +
        'choose another with --metrics-port'
      );
    case 'EADDRNOTAVAIL':
      return (
        `metrics host ${host} is not an address of this machine; set metrics.host to one, ` +
        'or to 0.0.0.0 (every address) or 127.0.0.1'
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `metrics host ${host} does not resolve to an address; fix metrics.host`;
    default:
      return (
        `cannot serve metrics on ${host} port ${port} (${String(error)}); check metrics.host ` +
        'and choose another port with --metrics-port'
      );
  }
}
