import { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { resolveKindsOnServer } from '../../lib/cli/resolve-kinds.js';
import { parseConfig, type TattlerConfig } from '../../lib/config/index.js';
import { startFakeApiServer, type FakeApiServer } from '../support/fake-apiserver.js';

const config = (raw: unknown): TattlerConfig => {
  const parsed = parseConfig(raw, 'test');
  if (E.isLeft(parsed)) throw parsed.left;
  return parsed.right;
};

const aggregated = (items: unknown[]): object => ({
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items,
});

const resource = (plural: string, kind: string, shortNames: string[] = []): object => ({
  resource: plural,
  responseKind: { group: '', version: '', kind },
  scope: 'Namespaced',
  singularResource: kind.toLowerCase(),
  verbs: ['list', 'watch'],
  shortNames,
});

/** Core serves ServiceAccounts; two groups serve a Gadget, one of them also a Widget (wd). */
function fakeServer(): Promise<FakeApiServer> {
  return startFakeApiServer((request) => {
    if (request.path === '/api') {
      const accounts = resource('serviceaccounts', 'ServiceAccount', ['sa']);
      return {
        body: aggregated([{ metadata: {}, versions: [{ version: 'v1', resources: [accounts] }] }]),
      };
    }
    const group = (name: string, resources: object[]): object => ({
      metadata: { name },
      versions: [{ version: 'v1', resources }],
    });
    return {
      body: aggregated([
        group('a.example.com', [
          resource('widgets', 'Widget', ['wd']),
          resource('gadgets', 'Gadget', ['ga']),
        ]),
        group('b.example.com', [resource('gadgets', 'Gadget', ['gb'])]),
      ]),
    };
  });
}

const origin = { fromFlag: false, source: 'tattler.yaml' };

describe('resolveKindsOnServer', () => {
  let server: FakeApiServer;

  beforeEach(async () => {
    server = await fakeServer();
  });

  afterEach(() => server.close());

  it('should ask nothing when every kind is built in or group/version/resource', async () => {
    const base = config({ kinds: [{ kind: 'Pod' }, { kind: 'example.com/v1/widgets' }] });
    expect(await resolveKindsOnServer(base, server.kubeConfig, origin)).toEqual(E.right(base));
    expect(server.requests).toEqual([]);
  });

  it('should name each kind after what the server calls it, and read a kind named twice once', async () => {
    const base = config({
      kinds: [
        { kind: 'sa', namespaces: ['a'] },
        { kind: 'wd' },
        { kind: 'serviceaccounts', namespaces: ['a'] },
      ],
    });
    const resolved = await resolveKindsOnServer(base, server.kubeConfig, origin);
    expect(E.isRight(resolved) && resolved.right.kinds).toEqual([
      { kind: 'ServiceAccount', namespaces: ['a'] },
      { kind: 'Widget' },
    ]);
  });

  it('should keep a short name whose kind another group serves too', async () => {
    const resolved = await resolveKindsOnServer(
      config({ kinds: [{ kind: 'ga' }] }),
      server.kubeConfig,
      origin,
    );
    expect(E.isRight(resolved) && resolved.right.kinds).toEqual([{ kind: 'ga' }]);
  });

  it('should refuse a kind named twice with different settings', async () => {
    const base = config({ kinds: [{ kind: 'sa', namespaces: ['a'] }, { kind: 'ServiceAccount' }] });
    const resolved = await resolveKindsOnServer(base, server.kubeConfig, origin);
    expect(E.isLeft(resolved) && resolved.left.message).toContain(
      '  kinds (in tattler.yaml): ServiceAccount is named twice with different settings; merge the two',
    );
  });

  it('should list every name the server does not know, or finds ambiguous, at once', async () => {
    const base = config({
      kinds: [{ kind: 'Widgit' }, { kind: 'sa' }, { kind: 'Gadget' }, { kind: 'Zzyzx' }],
    });
    const resolved = await resolveKindsOnServer(base, server.kubeConfig, {
      ...origin,
      fromFlag: true,
    });
    expect(E.isLeft(resolved) && resolved.left.message.split('\n')).toEqual([
      expect.stringMatching(
        /^invalid kinds, as the API server at http:\/\/127\.0\.0\.1:\d+ knows them:$/,
      ),
      expect.stringMatching(/^ {2}--kinds: unknown resource "Widgit": .*did you mean Widget\?/),
      expect.stringMatching(
        /^ {2}--kinds: resource name "Gadget" is ambiguous: .*a\.example\.com\/v1\/gadgets/,
      ),
      expect.stringMatching(/^ {2}--kinds: unknown resource "Zzyzx": .* short name\. Name a /),
      'Fix the names above.',
    ]);
  });

  it('should leave the names to the readers when the server cannot be asked', async () => {
    const listener = createServer().listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const { port } = listener.address() as AddressInfo;
    listener.close();
    const unreachable = new KubeConfig();
    unreachable.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}` }],
      users: [{ name: 'u', token: 'none' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const base = config({ kinds: [{ kind: 'sa' }] });
    expect(await resolveKindsOnServer(base, unreachable, origin)).toEqual(E.right(base));
  });
});
