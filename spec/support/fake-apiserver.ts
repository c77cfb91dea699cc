/**
 * A scripted stand-in for the API server, for reader tests of answers the real one cannot be
 * made to give on demand (a watch that always fails, an object without a name). Reader
 * behaviour the real server can show is tested against it in spec/e2e/readers/.
 */
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** One request the fake server received. */
export interface FakeRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  /** `watch` for `watch=true`, else `list`. */
  readonly verb: 'list' | 'watch';
}

/**
 * How to answer a request: a JSON body, or watch lines (one JSON value each) after which the
 * response ends, or stays open when `hold` is set (see {@link FakeApiServer.send}).
 */
export type FakeAnswer =
  | { readonly status?: number; readonly body: unknown }
  | { readonly lines: readonly unknown[]; readonly hold?: boolean };

/** A running fake server. */
export interface FakeApiServer {
  /** A KubeConfig whose current cluster is this server. */
  readonly kubeConfig: KubeConfig;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  /** Writes a line to the watch response held open last, and ends it if `end` is set. */
  send(line: unknown, end?: boolean): void;
  close(): Promise<void>;
}

/** Starts a fake server on a free loopback port; `answer` decides every response. */
export async function startFakeApiServer(
  answer: (request: FakeRequest, index: number) => FakeAnswer,
): Promise<FakeApiServer> {
  const requests: FakeRequest[] = [];
  let held: ServerResponse | undefined;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const verb = url.searchParams.get('watch') === 'true' ? 'watch' : 'list';
    const received: FakeRequest = { path: url.pathname, query: url.searchParams, verb };
    requests.push(received);
    const reply = answer(received, requests.length - 1);
    if ('body' in reply) {
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.flushHeaders();
    for (const line of reply.lines) response.write(`${JSON.stringify(line)}\n`);
    if (reply.hold === true) held = response;
    else response.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'tester', token: 'none' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
    currentContext: 'fake',
  });
  return {
    kubeConfig,
    requests,
    send: (line, end = false) => {
      held?.write(`${JSON.stringify(line)}\n`);
      if (end) held?.end();
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A Pod as a list item or watch object. */
export function fakePod(name: string, resourceVersion: string, uid = `uid-${name}`): object {
  return { metadata: { name, namespace: 'default', uid, resourceVersion } };
}

/** A PodList page. */
export function fakePodList(resourceVersion: string, items: readonly object[]): object {
  return { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion }, items };
}

/** An ERROR watch event carrying a Status. */
export function watchError(code: number, reason: string): object {
  return {
    type: 'ERROR',
    object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message: reason },
  };
}
