import { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { configMapBookmarkStore, discoverResource } from '../../lib/index.js';
import { firstRetry } from '../support/first-retry.js';

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A plain-HTTP server, which a client speaking TLS to it meets with garbage. */
async function plainHttpServer(): Promise<{ port: number; server: Server }> {
  const server = createHttpServer((_request, response) => response.end('{}'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, server };
}

function kubeConfigAt(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server }],
    users: [{ name: 'u', token: 'none' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kubeConfig;
}

describe('request failures', () => {
  it('should say that the connection was refused, where, and what to check', async () => {
    const port = await closedPort();
    const retry = await firstRetry(kubeConfigAt(`https://127.0.0.1:${port}`));

    expect(retry.error._tag).toBe('ReaderError');
    expect(retry.error.message).toBe(
      `cannot read v1/pods in all namespaces: the connection to https://127.0.0.1:${port} ` +
        `failed: connect ECONNREFUSED 127.0.0.1:${port}. Nothing accepts connections there: ` +
        "check that the API server is up and that the kubeconfig's server URL (host and port) " +
        'is right. The reader retries with backoff.',
    );
  });

  it('should say that a plain-HTTP port does not answer in TLS', async () => {
    const { port, server } = await plainHttpServer();
    try {
      const retry = await firstRetry(kubeConfigAt(`https://127.0.0.1:${port}`));
      expect(retry.error.message).toContain(
        `the connection to https://127.0.0.1:${port} failed: wrong version number ` +
          '(ERR_SSL_WRONG_VERSION_NUMBER). The server does not answer in TLS',
      );
      expect(retry.error.message).toContain('an https URL at a plain-HTTP port?');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('should name the server without its credentials or query, even where undici quotes it', async () => {
    const port = await closedPort();
    const retry = await firstRetry(
      kubeConfigAt(`https://someone:hunter2@127.0.0.1:${port}/?token=hunter3`),
    );
    expect(retry.error.message).toContain(`https://127.0.0.1:${port}`);
    expect(retry.error.message).toContain('holds a user name or password');
    expect(retry.error.message).not.toMatch(/hunter|someone/);
  });

  it('should tell discoverResource callers why the server could not be asked', async () => {
    const port = await closedPort();
    const result = await discoverResource(
      kubeConfigAt(`https://127.0.0.1:${port}`),
      'example.com/v1/widgets',
    );
    expect(E.isLeft(result) && result.left.message).toBe(
      'cannot discover example.com/v1: the connection to ' +
        `https://127.0.0.1:${port}/apis/example.com/v1 failed: connect ECONNREFUSED ` +
        `127.0.0.1:${port}. Nothing accepts connections there: check that the API server is ` +
        "up and that the kubeconfig's server URL (host and port) is right.",
    );
  });

  it('should tell why the ConfigMap bookmark store cannot reach the server', async () => {
    const port = await closedPort();
    const store = configMapBookmarkStore(kubeConfigAt(`https://127.0.0.1:${port}`), {
      namespace: 'tattler',
      name: 'bookmarks',
    });
    await expect(store.load('pods')).rejects.toMatchObject({
      _tag: 'ReaderError',
      message: expect.stringContaining(
        `cannot read the bookmarks in ConfigMap tattler/bookmarks: the connection to ` +
          `https://127.0.0.1:${port} failed: connect ECONNREFUSED 127.0.0.1:${port}. Nothing`,
      ) as unknown,
    });
  });
});
