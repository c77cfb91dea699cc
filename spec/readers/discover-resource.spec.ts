import { jest } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { discoverResource } from '../../lib/index.js';

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function kubeConfigAt(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'none' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kubeConfig;
}

/** A server that answers every request with one APIResourceList, and its open sockets. */
async function startDiscoveryServer(
  status = 200,
): Promise<{ url: string; open: Set<Socket>; close(): void }> {
  const open = new Set<Socket>();
  const server = createHttpServer((_request, response) => {
    response.statusCode = status;
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        kind: 'APIResourceList',
        groupVersion: 'example.com/v1',
        resources: [
          { name: 'widgets', kind: 'Widget', namespaced: true, verbs: ['list', 'watch'] },
        ],
      }),
    );
  });
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    open,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function eventually(condition: () => boolean, what: string, limit = 2000): Promise<void> {
  for (let turn = 0; turn < limit; turn += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`${what} did not happen within ${limit} event-loop turns`);
}

/**
 * Records the timers started with `delay` while `run` runs, and answers those never cleared.
 * Only that delay counts: undici keeps timers of its own, which come and go with load.
 */
async function unclearedTimers(delay: number, run: () => Promise<void>): Promise<number> {
  const setSpy = jest.spyOn(globalThis, 'setTimeout');
  const clearSpy = jest.spyOn(globalThis, 'clearTimeout');
  let started: unknown[];
  let cleared: unknown[];
  try {
    await run();
  } finally {
    // Read the calls before mockRestore, which forgets them.
    started = setSpy.mock.calls.flatMap(([, ms], i) =>
      ms === delay ? [setSpy.mock.results[i]?.value] : [],
    );
    cleared = clearSpy.mock.calls.map(([handle]) => handle);
    setSpy.mockRestore();
    clearSpy.mockRestore();
  }
  expect(started.length).toBeGreaterThan(0);
  return started.filter((handle) => !cleared.includes(handle)).length;
}

describe('discoverResource', () => {
  it('should answer a ConfigError for a bad name without contacting the server', async () => {
    const result = await discoverResource(new KubeConfig(), 'no such thing');
    expect(E.isLeft(result) && result.left._tag).toBe('ConfigError');
    expect(E.isLeft(result) && result.left.message).toContain('unknown resource');
  });

  it('should answer a ConfigError when the kubeconfig has no current cluster', async () => {
    const result = await discoverResource(new KubeConfig(), 'example.com/v1/widgets');
    expect(E.isLeft(result) && result.left._tag).toBe('ConfigError');
    expect(E.isLeft(result) && result.left.message).toContain('no current cluster');
  });

  it('should answer a ReaderError naming the URL when the server cannot be reached', async () => {
    const server = `https://127.0.0.1:${await closedPort()}`;
    const result = await discoverResource(kubeConfigAt(server), 'example.com/v1/widgets');
    expect(E.isLeft(result) && result.left._tag).toBe('ReaderError');
    expect(E.isLeft(result) && result.left.message).toContain(`${server}/apis/example.com/v1`);
  });

  it('should answer a ReaderError when aborted', async () => {
    const server = `https://127.0.0.1:${await closedPort()}`;
    const controller = new AbortController();
    controller.abort();
    const result = await discoverResource(kubeConfigAt(server), 'pods', {
      signal: controller.signal,
    });
    expect(E.isLeft(result) && result.left._tag).toBe('ReaderError');
  });

  it('should leave no connection or timer behind once answered', async () => {
    const server = await startDiscoveryServer();
    try {
      const timeoutMs = 987_654;
      const uncleared = await unclearedTimers(timeoutMs, async () => {
        const kubeConfig = kubeConfigAt(server.url);
        const result = await discoverResource(kubeConfig, 'example.com/v1/widgets', { timeoutMs });
        expect(E.isRight(result) && result.right.kind).toBe('Widget');
      });
      expect(uncleared).toBe(0);
      // undici keeps an idle connection for seconds: the client must close it at once.
      await eventually(() => server.open.size === 0, 'the connection to close');
    } finally {
      server.close();
    }
  });

  it('should tell rejected credentials (401) from a missing permission (403)', async () => {
    for (const [status, words] of [
      [401, 'could not authenticate as kubeconfig user "u"'],
      [403, 'kubeconfig user "u" may not discover example.com/v1'],
    ] as const) {
      const server = await startDiscoveryServer(status);
      try {
        const result = await discoverResource(kubeConfigAt(server.url), 'example.com/v1/widgets');
        expect(E.isLeft(result) && result.left._tag).toBe('AccessDeniedError');
        expect(E.isLeft(result) && result.left.message).toContain(words);
      } finally {
        server.close();
      }
    }
  });
});
