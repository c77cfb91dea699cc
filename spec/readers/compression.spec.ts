import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { filter, firstValueFrom } from 'rxjs';
import { readKind } from '../../lib/index.js';

// These tests look only at the headers a reader sends, which the real API server does not
// report back; reader behaviour is tested against the real server in spec/e2e/readers/.
describe('readKind compression', () => {
  let server: Server;
  let seen: IncomingHttpHeaders[];

  beforeEach(async () => {
    seen = [];
    server = createServer((request, response) => {
      seen.push(request.headers);
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          kind: 'NamespaceList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '5' },
          items: [{ metadata: { name: 'default', uid: 'u1', resourceVersion: '5' } }],
        }),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  function kubeConfig(): KubeConfig {
    const { port } = server.address() as AddressInfo;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    return kc;
  }

  async function firstListHeaders(compression?: boolean): Promise<IncomingHttpHeaders> {
    const signals$ = readKind(
      kubeConfig(),
      { resource: 'Namespace' },
      { initialList: 'paginated', compression },
    );
    await firstValueFrom(signals$.pipe(filter((signal) => signal.type === 'entry')));
    const list = seen[0];
    if (list === undefined) throw new Error('the reader sent no request');
    return list;
  }

  it('should ask for compressed responses by default', async () => {
    expect((await firstListHeaders())['accept-encoding']).toMatch(/gzip/);
  });

  it('should ask for uncompressed responses when compression is false', async () => {
    expect((await firstListHeaders(false))['accept-encoding']).toBe('identity');
  });
});
