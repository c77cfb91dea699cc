/** A real HTTP server on 127.0.0.1 standing in for a webhook receiver. */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookBody } from '../../../lib/index.js';

export interface Receiver {
  readonly url: string;
  /** Bodies of the requests answered 2xx, in order. */
  readonly delivered: WebhookBody[];
  /** Every request seen, answered or not. */
  requests(): number;
  /** Resolves once `predicate` holds for the delivered bodies. */
  waitFor(predicate: (delivered: readonly WebhookBody[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a receiver; `answer(n)` picks the status of the n-th request (1-based), or `'hang'`
 * to never answer.
 */
export async function startReceiver(
  answer: (request: number) => number | 'hang',
): Promise<Receiver> {
  const delivered: WebhookBody[] = [];
  const waiters = new Set<() => void>();
  let requests = 0;
  const server = createServer((request, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      const status = answer(requests);
      if (status === 'hang') return;
      if (status >= 200 && status < 300) {
        delivered.push(JSON.parse(Buffer.concat(chunks).toString()) as WebhookBody);
        waiters.forEach((check) => check());
      }
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ingest`,
    delivered,
    requests: () => requests,
    waitFor: (predicate) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (!predicate(delivered)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Names of the objects of `kind` in the delivered bodies, without repeats. */
export function deliveredNames(delivered: readonly WebhookBody[], kind: string): Set<string> {
  return new Set(
    delivered.flatMap((body) => body.entries.filter((e) => e.kind === kind).map((e) => e.name)),
  );
}
