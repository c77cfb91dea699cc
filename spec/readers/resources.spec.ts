import { either as E } from 'fp-ts';
import {
  BUILT_IN_RESOURCES,
  apiVersionOf,
  resourceFor,
  resourcePath,
  type ResourceSpec,
} from '../../lib/index.js';

function right(name: string): ResourceSpec {
  const result = resourceFor(name);
  if (E.isLeft(result)) throw new Error(`expected ${name} to resolve: ${result.left.message}`);
  return result.right;
}

function left(name: string): string {
  const result = resourceFor(name);
  if (E.isRight(result)) throw new Error(`expected ${name} to be refused`);
  expect(result.left._tag).toBe('ConfigError');
  return result.left.message;
}

describe('resourceFor', () => {
  it.each([
    ['Pod', '', 'pods', 'Pod', true],
    ['pod', '', 'pods', 'Pod', true],
    ['PODS', '', 'pods', 'Pod', true],
    ['po', '', 'pods', 'Pod', true],
    ['deploy', 'apps', 'deployments', 'Deployment', true],
    ['no', '', 'nodes', 'Node', false],
    ['ns', '', 'namespaces', 'Namespace', false],
    ['svc', '', 'services', 'Service', true],
    ['endpointslice', 'discovery.k8s.io', 'endpointslices', 'EndpointSlice', true],
    ['rs', 'apps', 'replicasets', 'ReplicaSet', true],
    ['sts', 'apps', 'statefulsets', 'StatefulSet', true],
    ['ds', 'apps', 'daemonsets', 'DaemonSet', true],
    ['jobs', 'batch', 'jobs', 'Job', true],
    ['cj', 'batch', 'cronjobs', 'CronJob', true],
    ['pv', '', 'persistentvolumes', 'PersistentVolume', false],
    ['pvc', '', 'persistentvolumeclaims', 'PersistentVolumeClaim', true],
    ['ing', 'networking.k8s.io', 'ingresses', 'Ingress', true],
    ['cm', '', 'configmaps', 'ConfigMap', true],
    ['Secret', '', 'secrets', 'Secret', true],
    ['role', 'rbac.authorization.k8s.io', 'roles', 'Role', true],
    ['rolebindings', 'rbac.authorization.k8s.io', 'rolebindings', 'RoleBinding', true],
    ['ClusterRole', 'rbac.authorization.k8s.io', 'clusterroles', 'ClusterRole', false],
    [
      'clusterrolebinding',
      'rbac.authorization.k8s.io',
      'clusterrolebindings',
      'ClusterRoleBinding',
      false,
    ],
  ])('should resolve the built-in name %s', (name, ...[group, plural, kind, namespaced]) => {
    expect(right(name)).toMatchObject({ group, version: 'v1', plural, kind, namespaced });
    expect(right(name).guessed).toBeUndefined();
  });

  it('should know every catalogue entry by kind, plural and short names', () => {
    for (const resource of BUILT_IN_RESOURCES) {
      for (const name of [resource.kind, resource.plural, ...resource.shortNames]) {
        expect(right(name)).toMatchObject({ group: resource.group, plural: resource.plural });
      }
    }
    expect(BUILT_IN_RESOURCES).toHaveLength(20);
  });

  it('should resolve group/version/resource names of built-in kinds', () => {
    expect(right('apps/v1/deployments')).toEqual({
      group: 'apps',
      version: 'v1',
      plural: 'deployments',
      kind: 'Deployment',
      namespaced: true,
    });
    expect(right('v1/pods')).toMatchObject({ group: '', plural: 'pods', kind: 'Pod' });
    expect(right('core/v1/nodes')).toMatchObject({ group: '', kind: 'Node', namespaced: false });
    expect(right(' Apps/V1/Deployments ')).toMatchObject({ kind: 'Deployment' });
  });

  it('should keep the version written for a built-in resource', () => {
    expect(right('batch/v1beta1/cronjobs')).toMatchObject({ version: 'v1beta1', kind: 'CronJob' });
  });

  it('should mark ConfigMap and Secret, and only them, as metadata-only by default', () => {
    expect(right('configmaps').defaultMetadataOnly).toBe(true);
    expect(right('v1/configmaps').defaultMetadataOnly).toBe(true);
    expect(right('secrets').defaultMetadataOnly).toBe(true);
    const metadataOnly = BUILT_IN_RESOURCES.filter((resource) => resource.defaultMetadataOnly);
    expect(metadataOnly.map((resource) => resource.kind)).toEqual(['ConfigMap', 'Secret']);
    expect(right('pods').defaultMetadataOnly).toBeUndefined();
  });

  it('should guess the kind of a custom resource and say so', () => {
    expect(right('example.com/v1/widgets')).toEqual({
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
      kind: 'Widget',
      namespaced: true,
      guessed: true,
    });
    expect(right('example.com/v1alpha1/policies').kind).toBe('Policy');
    expect(right('example.com/v1/ingresses').kind).toBe('Ingress');
    expect(right('example.com/v1/boxes').kind).toBe('Box');
    expect(right('example.com/v1/backup-plans').kind).toBe('BackupPlan');
  });

  it.each([
    ['', 'unknown resource ""'],
    ['   ', 'unknown resource'],
    ['widget', 'unknown resource "widget"'],
    ['apps/deployments/v1', 'the version "deployments"'],
    ['a/b/c/d', 'unknown resource "a/b/c/d"'],
    ['/v1/pods', 'the group is empty'],
    ['v1/', 'the resource ""'],
    ['Example_Com/v1/widgets', 'the group "example_com"'],
    ['example.com/1/widgets', 'the version "1"'],
  ])('should refuse %j with a message naming what is accepted', (name, problem) => {
    const message = left(name);
    expect(message).toContain(problem);
    expect(message).toContain('Pod|pods|po');
    expect(message).toContain('ClusterRoleBinding|clusterrolebindings');
    expect(message).toContain('apps/v1/deployments');
    expect(message).toContain('example.com/v1/widgets');
  });
});

describe('resourcePath', () => {
  const pods = right('pods');
  const deployments = right('deployments');
  const nodes = right('nodes');

  it('should build core group paths under /api', () => {
    expect(resourcePath(pods)).toBe('/api/v1/pods');
    expect(resourcePath(pods, 'default')).toBe('/api/v1/namespaces/default/pods');
  });

  it('should build named group paths under /apis', () => {
    expect(resourcePath(deployments)).toBe('/apis/apps/v1/deployments');
    expect(resourcePath(deployments, 'web')).toBe('/apis/apps/v1/namespaces/web/deployments');
    expect(resourcePath(right('example.com/v1/widgets'), 'a')).toBe(
      '/apis/example.com/v1/namespaces/a/widgets',
    );
  });

  it('should ignore a namespace for a cluster-scoped resource', () => {
    expect(resourcePath(nodes, 'default')).toBe('/api/v1/nodes');
  });

  it('should treat an empty namespace as all namespaces', () => {
    expect(resourcePath(pods, '')).toBe('/api/v1/pods');
  });

  it('should URL-encode the namespace', () => {
    expect(resourcePath(pods, 'a/b')).toBe('/api/v1/namespaces/a%2Fb/pods');
  });
});

describe('apiVersionOf', () => {
  it('should answer v1 for the core group and group/version otherwise', () => {
    expect(apiVersionOf(right('pods'))).toBe('v1');
    expect(apiVersionOf(right('deployments'))).toBe('apps/v1');
    expect(apiVersionOf(right('example.com/v2/widgets'))).toBe('example.com/v2');
  });
});
