import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { either as E } from 'fp-ts';
import { detectClusterAccess, loadKubeConfig } from '../../lib/cli/cluster-access.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: c
    cluster: { server: 'https://127.0.0.1:6443' }
users:
  - name: u
    user: { token: t }
contexts:
  - name: one
    context: { cluster: c, user: u }
  - name: two
    context: { cluster: c, user: u, namespace: web }
current-context: one
`;

describe('detectClusterAccess', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'tattler-home-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('should answer none when nothing points at a cluster', () => {
    expect(detectClusterAccess({ inCluster: 'auto' }, { HOME: home })).toEqual({ type: 'none' });
  });

  it('should prefer an explicit kubeconfig over KUBECONFIG', () => {
    const access = detectClusterAccess(
      { inCluster: 'auto', kubeconfig: '/a' },
      { HOME: home, KUBECONFIG: '/b' },
    );
    expect(access).toEqual({ type: 'kubeconfig', paths: ['/a'] });
  });

  it('should split KUBECONFIG into its files', () => {
    const access = detectClusterAccess({ inCluster: 'auto' }, { HOME: home, KUBECONFIG: '/a:/b' });
    expect(access).toEqual({ type: 'kubeconfig', paths: ['/a', '/b'] });
  });

  it('should find ~/.kube/config', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(home, '.kube'));
    await writeFile(join(home, '.kube', 'config'), KUBECONFIG);
    expect(detectClusterAccess({ inCluster: 'auto' }, { HOME: home })).toEqual({
      type: 'kubeconfig',
      paths: [join(home, '.kube', 'config')],
    });
  });

  it('should not use the service account without its token file', () => {
    const env = { HOME: home, KUBERNETES_SERVICE_HOST: '10.0.0.1' };
    expect(detectClusterAccess({ inCluster: 'auto' }, env)).toEqual({ type: 'none' });
    expect(detectClusterAccess({ inCluster: 'always' }, env)).toEqual({ type: 'in-cluster' });
  });
});

describe('loadKubeConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tattler-kc-'));
    await writeFile(join(dir, 'config'), KUBECONFIG);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should select the requested context', () => {
    const result = loadKubeConfig({ type: 'kubeconfig', paths: [join(dir, 'config')] }, 'two');
    expect(E.isRight(result) && result.right.getCurrentContext()).toBe('two');
  });

  it('should name the known contexts when the requested one is missing', () => {
    const result = loadKubeConfig({ type: 'kubeconfig', paths: [join(dir, 'config')] }, 'three');
    expect(E.isLeft(result) && result.left.message).toBe(
      'context "three" is not in the kubeconfig; expected one of "one", "two". Fix --context.',
    );
  });

  it('should explain that no cluster was found', () => {
    const result = loadKubeConfig({ type: 'none' });
    expect(E.isLeft(result) && result.left.message).toMatch(/no cluster to watch/);
  });

  it('should name a kubeconfig file that cannot be read', () => {
    const result = loadKubeConfig({ type: 'kubeconfig', paths: [join(dir, 'missing')] });
    expect(E.isLeft(result) && result.left.message).toMatch(/cannot load the cluster access/);
  });
});
