import { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { createServer } from 'node:net';
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
});
