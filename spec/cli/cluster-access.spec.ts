import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { either as E } from 'fp-ts';
import {
  detectClusterAccess,
  loadKubeConfig,
  SERVICE_ACCOUNT_TOKEN,
  type ClusterAccessEnvironment,
} from '../../lib/cli/cluster-access.js';

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
  let pod: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'tattler-home-'));
    pod = await mkdtemp(join(tmpdir(), 'tattler-pod-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(pod, { recursive: true, force: true });
  });
  const writeHomeConfig = async (): Promise<string> => {
    await mkdir(join(home, '.kube'));
    await writeFile(join(home, '.kube', 'config'), KUBECONFIG);
    return join(home, '.kube', 'config');
  };
  /** A pod's environment: the service host set and the token file at `pod` + its mount. */
  const inPod = async (env: NodeJS.ProcessEnv = {}): Promise<ClusterAccessEnvironment> => {
    await mkdir(dirname(join(pod, SERVICE_ACCOUNT_TOKEN)), { recursive: true });
    await writeFile(join(pod, SERVICE_ACCOUNT_TOKEN), 'token');
    return {
      env: { HOME: home, KUBERNETES_SERVICE_HOST: '10.0.0.1', ...env },
      serviceAccountPrefix: pod,
    };
  };

  it('should answer none when nothing points at a cluster', () => {
    expect(detectClusterAccess({ inCluster: 'auto' }, { env: { HOME: home } })).toEqual({
      type: 'none',
    });
  });

  it('should prefer an explicit kubeconfig over KUBECONFIG', () => {
    const access = detectClusterAccess(
      { inCluster: 'auto', kubeconfig: '/a' },
      { env: { HOME: home, KUBECONFIG: '/b' } },
    );
    expect(access).toEqual({ type: 'kubeconfig', paths: ['/a'] });
  });

  it('should leave out files of KUBECONFIG that do not exist, as kubectl does', async () => {
    const path = await writeHomeConfig();
    const env = { HOME: home, KUBECONFIG: `/nonexistent:${path}` };
    expect(detectClusterAccess({ inCluster: 'auto' }, { env })).toEqual({
      type: 'kubeconfig',
      paths: [path],
    });
  });

  it('should split KUBECONFIG into its files', () => {
    const env = { HOME: home, KUBECONFIG: '/a:/b' };
    expect(detectClusterAccess({ inCluster: 'auto' }, { env })).toEqual({
      type: 'kubeconfig',
      paths: ['/a', '/b'],
    });
  });

  it('should find ~/.kube/config', async () => {
    const path = await writeHomeConfig();
    expect(detectClusterAccess({ inCluster: 'auto' }, { env: { HOME: home } })).toEqual({
      type: 'kubeconfig',
      paths: [path],
    });
  });

  it('should use the service account in a pod with no kubeconfig', async () => {
    expect(detectClusterAccess({ inCluster: 'auto' }, await inPod())).toEqual({
      type: 'in-cluster',
      pathPrefix: pod,
    });
  });

  it('should prefer KUBECONFIG and then ~/.kube/config to the service account, as kubectl does', async () => {
    const environment = await inPod();
    const path = await writeHomeConfig();
    expect(detectClusterAccess({ inCluster: 'auto' }, environment)).toEqual({
      type: 'kubeconfig',
      paths: [path],
    });
    const withEnv = await inPod({ KUBECONFIG: '/a' });
    expect(detectClusterAccess({ inCluster: 'auto' }, withEnv)).toEqual({
      type: 'kubeconfig',
      paths: ['/a'],
    });
  });

  it('should use the service account first with inCluster always, and never with never', async () => {
    await writeHomeConfig();
    const environment = await inPod();
    expect(detectClusterAccess({ inCluster: 'always', kubeconfig: '/a' }, environment)).toEqual({
      type: 'in-cluster',
      pathPrefix: pod,
    });
    await rm(join(home, '.kube'), { recursive: true });
    expect(detectClusterAccess({ inCluster: 'never' }, environment)).toEqual({ type: 'none' });
  });

  it('should not use the service account without its token file', () => {
    const environment = {
      env: { HOME: home, KUBERNETES_SERVICE_HOST: '10.0.0.1' },
      serviceAccountPrefix: pod,
    };
    expect(detectClusterAccess({ inCluster: 'auto' }, environment)).toEqual({ type: 'none' });
  });

  it('should not use the service account outside a pod, token or not', async () => {
    const environment = { ...(await inPod()), env: { HOME: home } };
    expect(detectClusterAccess({ inCluster: 'auto' }, environment)).toEqual({ type: 'none' });
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

  it('should load the service account through loadFromCluster, from its mount', () => {
    const saved = { ...process.env };
    process.env['KUBERNETES_SERVICE_HOST'] = '10.0.0.1';
    process.env['KUBERNETES_SERVICE_PORT'] = '443';
    mkdirSync(dirname(join(dir, SERVICE_ACCOUNT_TOKEN)), { recursive: true });
    writeFileSync(join(dir, SERVICE_ACCOUNT_TOKEN), 'token');
    try {
      const result = loadKubeConfig({ type: 'in-cluster', pathPrefix: dir });
      const kubeConfig = E.isRight(result) ? result.right : undefined;
      expect(kubeConfig?.getCurrentCluster()).toMatchObject({
        server: 'https://10.0.0.1:443',
        caFile: join(dir, 'var/run/secrets/kubernetes.io/serviceaccount/ca.crt'),
      });
      expect(kubeConfig?.getCurrentUser()?.authProvider?.config).toEqual({
        tokenFile: join(dir, SERVICE_ACCOUNT_TOKEN),
      });
    } finally {
      process.env = saved;
    }
  });

  it('should refuse the service account outside a pod, naming what is missing', () => {
    const saved = { ...process.env };
    delete process.env['KUBERNETES_SERVICE_HOST'];
    delete process.env['KUBERNETES_SERVICE_PORT'];
    try {
      const result = loadKubeConfig({ type: 'in-cluster', pathPrefix: dir });
      expect(E.isLeft(result) && result.left.message).toMatch(
        /cannot use the pod's service account: .*found no KUBERNETES_SERVICE_HOST, no KUBERNETES_SERVICE_PORT, no token file at .*token\. Run tattler in a pod/,
      );
    } finally {
      process.env = saved;
    }
  });

  it.each([
    [
      'current-context: gone\n',
      /names "gone" as its current context, which it does not define; it defines "one", "two"/,
    ],
    [
      'current-context: ""\n',
      /has no current context; it defines "one", "two"\. Pick one with --context/,
    ],
  ])(
    'should refuse a kubeconfig without a usable current context: %j',
    async (current, expected) => {
      const path = join(dir, 'broken');
      await writeFile(path, KUBECONFIG.replace('current-context: one\n', current));
      const result = loadKubeConfig({ type: 'kubeconfig', paths: [path] });
      expect(E.isLeft(result) && result.left.message).toMatch(expected);
    },
  );

  it('should refuse a file that is no kubeconfig at all', async () => {
    const path = join(dir, 'foo');
    await writeFile(path, 'foo: bar\n');
    const result = loadKubeConfig({ type: 'kubeconfig', paths: [path] });
    expect(E.isLeft(result) && result.left.message).toMatch(
      /has no current context; it defines none/,
    );
  });

  it('should refuse a context that names a cluster the kubeconfig does not define', async () => {
    const path = join(dir, 'orphan');
    await writeFile(
      path,
      KUBECONFIG.replace('context: { cluster: c, user: u }', 'context: { cluster: x, user: u }'),
    );
    const result = loadKubeConfig({ type: 'kubeconfig', paths: [path] });
    expect(E.isLeft(result) && result.left.message).toMatch(
      /context "one" naming cluster "x", which it does not define/,
    );
  });
});
