import type { V1Container, V1EnvVar, V1Pod } from '@kubernetes/client-node';
import { Random } from './random.js';

/**
 * Deterministic Pods of realistic shape for the benchmarks.
 *
 * `podManifest(i)` is what a user would create: labels, annotations (a
 * last-applied-configuration on about a third), 2 to 4 containers with env vars, probes,
 * resources and mounts. `observedPod(i)` adds what the API server and kubelet add: uid,
 * resourceVersion, ownerReferences, managedFields and status. Both depend only on the seed
 * and `i`, so two runs and two processes see the same objects.
 */

const APPS = ['checkout', 'cart', 'catalog', 'search', 'payments', 'orders', 'users', 'auth'];
const TEAMS = ['retail', 'platform', 'identity', 'data'];
const NAMESPACES = ['shop', 'shop-staging', 'platform', 'data', 'identity', 'default'];
const IMAGES = ['nginx', 'envoyproxy/envoy', 'redis', 'busybox', 'otel/opentelemetry-collector'];
const ENV_NAMES = [
  'LOG_LEVEL',
  'PORT',
  'DATABASE_URL',
  'REDIS_HOST',
  'FEATURE_FLAGS',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'API_TOKEN',
  'JAVA_OPTS',
  'REGION',
  'CACHE_TTL_SECONDS',
  'UPSTREAM_TIMEOUT',
  'SENTRY_DSN',
];
const EPOCH = Date.UTC(2026, 0, 1);

/** The namespaces `podManifest` spreads Pods over. */
export const POD_NAMESPACES: readonly string[] = NAMESPACES;

/** Options of {@link podManifest} and {@link observedPod}. */
export interface PodOptions {
  readonly seed?: number;
  /** Put every Pod in this namespace instead of spreading them. */
  readonly namespace?: string;
  /** A prefix for the Pod name, to keep runs apart. */
  readonly namePrefix?: string;
}

/** The Pod as a user would create it (no status, uid or managedFields). */
export function podManifest(i: number, options: PodOptions = {}): V1Pod {
  const rng = new Random(((options.seed ?? 42) * 1_000_003 + i) >>> 0);
  const app = APPS[i % APPS.length] as string;
  const team = rng.pick(TEAMS);
  const hash = rng.suffix(10);
  const name = `${options.namePrefix ?? ''}${app}-${hash}-${rng.suffix(5)}`;
  const namespace = options.namespace ?? rng.pick(NAMESPACES);
  const version = `v${rng.int(1, 4)}.${rng.int(0, 30)}.${rng.int(0, 9)}`;
  const labels: Record<string, string> = {
    app,
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': `${app}-${namespace}`,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/part-of': 'storefront',
    'app.kubernetes.io/managed-by': 'helm',
    'pod-template-hash': hash,
    team,
    tier: rng.pick(['frontend', 'backend', 'cache', 'worker']),
  };
  const containers = Array.from({ length: containerCount(rng) }, (_, c) => container(rng, app, c));
  const spec = {
    containers,
    volumes: [
      { name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } },
      {
        name: 'kube-api-access',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            {
              downwardAPI: {
                items: [
                  {
                    path: 'namespace',
                    fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
                  },
                ],
              },
            },
          ],
        },
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: app,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 },
    schedulerName: 'default-scheduler',
    tolerations: [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  const annotations: Record<string, string> = {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '9090',
    'checksum/config': rng.hex(64),
  };
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, annotations },
    spec: spec as V1Pod['spec'],
  };
  if (rng.chance(0.3)) {
    const written = containers.map(({ name: n, image, env, ports, resources }) => ({
      name: n,
      image,
      env,
      ports,
      resources,
    }));
    const applied = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels: { app, team }, name, namespace },
      spec: { containers: written, serviceAccountName: app },
    };
    annotations['kubectl.kubernetes.io/last-applied-configuration'] =
      JSON.stringify(applied) + '\n';
  }
  return pod;
}

function container(rng: Random, app: string, index: number): V1Container {
  const image = index === 0 ? `registry.example.com/${app}` : rng.pick(IMAGES);
  const env: V1EnvVar[] = [];
  const count = rng.int(2, 7);
  for (let e = 0; e < count; e++) {
    const name = ENV_NAMES[(index * 3 + e) % ENV_NAMES.length] as string;
    env.push(
      rng.chance(0.2)
        ? { name, valueFrom: { secretKeyRef: { name: `${app}-secrets`, key: name.toLowerCase() } } }
        : { name, value: rng.chance(0.5) ? rng.hex(rng.int(8, 40)) : `${app}-${rng.int(1, 9999)}` },
    );
  }
  const port = 8080 + index;
  const main = index === 0;
  return {
    name: index === 0 ? app : `sidecar-${index}`,
    image: `${image}:${rng.int(1, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
    env,
    resources: {
      requests: { cpu: `${rng.int(1, 10) * 50}m`, memory: `${rng.int(1, 16) * 64}Mi` },
      limits: { cpu: `${rng.int(1, 4)}`, memory: `${rng.int(1, 8)}Gi` },
    },
    volumeMounts: [
      { name: 'config', mountPath: '/etc/config', readOnly: true },
      {
        name: 'kube-api-access',
        mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
        readOnly: true,
      },
    ],
    livenessProbe: main ? probe('/healthz', port) : undefined,
    readinessProbe: main ? probe('/ready', port) : undefined,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
}

function probe(path: string, port: number): V1Container['livenessProbe'] {
  return {
    httpGet: { path, port, scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  };
}

/** The Pod as a watch would deliver it: with uid, resourceVersion, managedFields and status. */
export function observedPod(i: number, options: PodOptions = {}): V1Pod {
  const pod = podManifest(i, options);
  const rng = new Random(((options.seed ?? 42) * 7_919 + i * 31) >>> 0);
  const created = new Date(EPOCH + i * 1000).toISOString().replace('.000', '');
  const started = new Date(EPOCH + i * 1000 + 4000).toISOString().replace('.000', '');
  const meta = pod.metadata ?? {};
  const containers = pod.spec?.containers ?? [];
  const hash = meta.labels?.['pod-template-hash'] ?? '';
  const app = meta.labels?.['app'] ?? '';
  const node = `node-${rng.int(1, 200)}`;
  pod.metadata = {
    ...meta,
    uid: uid(i, options.seed ?? 42),
    resourceVersion: String(1000 + i),
    creationTimestamp: created as unknown as Date,
    generateName: `${app}-${hash}-`,
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: `${app}-${hash}`,
        uid: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
    managedFields: [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'v1',
        time: created as unknown as Date,
        fieldsType: 'FieldsV1',
        fieldsV1: specFields(containers.map((c) => c.name)),
      },
      {
        manager: 'kubelet',
        operation: 'Update',
        apiVersion: 'v1',
        time: started as unknown as Date,
        fieldsType: 'FieldsV1',
        fieldsV1: statusFields(),
        subresource: 'status',
      },
    ],
  };
  pod.spec = { ...pod.spec, nodeName: node } as V1Pod['spec'];
  const ip = `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  pod.status = {
    phase: 'Running',
    conditions: [
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
    ].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started })),
    hostIP: `172.20.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    hostIPs: [{ ip: `172.20.${rng.int(0, 255)}.${rng.int(1, 254)}` }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: started,
    containerStatuses: containers.map((c) => ({
      name: c.name,
      state: { running: { startedAt: started } },
      lastState: {},
      ready: true,
      restartCount: rng.chance(0.1) ? rng.int(1, 5) : 0,
      image: c.image,
      imageID: `${c.image?.split(':')[0]}@sha256:${rng.hex(64)}`,
      containerID: `containerd://${rng.hex(64)}`,
      started: true,
    })),
    qosClass: 'Burstable',
  } as unknown as V1Pod['status'];
  return pod;
}

function uid(i: number, seed: number): string {
  const hex = (i + seed * 0x10000000).toString(16).padStart(12, '0');
  return `6f1c${hex.slice(0, 4)}-0000-4000-8000-${hex.slice(-12)}`;
}

function specFields(names: readonly (string | undefined)[]): object {
  const containers: Record<string, unknown> = {};
  for (const name of names) {
    containers[`k:{"name":"${name}"}`] = {
      '.': {},
      'f:env': { '.': {} },
      'f:image': {},
      'f:imagePullPolicy': {},

      'f:name': {},
      'f:ports': { '.': {}, 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {} } },

      'f:resources': { '.': {}, 'f:limits': {}, 'f:requests': {} },
      'f:volumeMounts': { '.': {} },
    };
  }
  return {
    'f:metadata': {
      'f:generateName': {},
      'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {}, 'f:team': {}, 'f:tier': {} },
      'f:ownerReferences': { '.': {} },
    },
    'f:spec': {
      'f:containers': containers,
      'f:dnsPolicy': {},
      'f:enableServiceLinks': {},
      'f:restartPolicy': {},
      'f:schedulerName': {},
      'f:securityContext': { '.': {}, 'f:fsGroup': {}, 'f:runAsNonRoot': {}, 'f:runAsUser': {} },
      'f:serviceAccountName': {},
      'f:terminationGracePeriodSeconds': {},
      'f:volumes': { '.': {} },
    },
  };
}

function statusFields(): object {
  const condition = (type: string): object => ({
    [`k:{"type":"${type}"}`]: {
      '.': {},
      'f:lastProbeTime': {},
      'f:lastTransitionTime': {},
      'f:status': {},
      'f:type': {},
    },
  });
  return {
    'f:status': {
      'f:conditions': {
        ...condition('ContainersReady'),
        ...condition('Initialized'),
        ...condition('PodReadyToStartContainers'),
        ...condition('Ready'),
      },
      'f:containerStatuses': {},
      'f:hostIP': {},
      'f:hostIPs': {},
      'f:phase': {},
      'f:podIP': {},
      'f:podIPs': { '.': {}, 'k:{"ip":"10.0.0.1"}': { '.': {}, 'f:ip': {} } },
      'f:startTime': {},
    },
  };
}

/** One NDJSON watch-event line (`{"type":"ADDED","object":...}`) for Pod `i`. */
export function watchEventLine(i: number, options: PodOptions = {}): string {
  return JSON.stringify({ type: 'ADDED', object: observedPod(i, options) });
}

/**
 * Produces many distinct watch-event lines fast: `templates` Pods are built once with
 * placeholders for name, UID and resourceVersion, and each line fills them in. Line `i` is
 * template `i % templates` with a name, UID and resourceVersion of its own.
 */
export class PodLines {
  private readonly templates: (readonly string[])[];
  /** The mean length of the lines in characters (ASCII, so also bytes). */
  readonly meanBytes: number;

  constructor(options: PodOptions & { readonly templates?: number } = {}) {
    const count = options.templates ?? 1000;
    this.templates = [];
    let total = 0;
    for (let t = 0; t < count; t++) {
      const pod = observedPod(t, options);
      const name = pod.metadata?.name ?? '';
      const uidText = pod.metadata?.uid ?? '';
      const json = JSON.stringify({ type: 'ADDED', object: pod })
        .replaceAll(name, '\u0000N')
        .replaceAll(uidText, '\u0000U')
        .replace(
          `"resourceVersion":"${pod.metadata?.resourceVersion}"`,
          '"resourceVersion":"\u0000R"',
        );
      this.templates.push(json.split('\u0000'));
      total += json.length;
    }
    this.meanBytes = Math.round(total / count);
  }

  /** The line for Pod `i`. */
  line(i: number): string {
    const parts = this.templates[i % this.templates.length] as readonly string[];
    const id = i.toString(36).padStart(6, '0');
    let out = parts[0] as string;
    for (let p = 1; p < parts.length; p++) {
      const part = parts[p] as string;
      const tag = part[0];
      const value = tag === 'N' ? `pod-${id}` : tag === 'U' ? uid(i, 7) : String(1000 + i);
      out += value + part.slice(1);
    }
    return out;
  }
}

/** 2 containers for half the Pods, 3 for a third, 4 for the rest: sidecars are common. */
function containerCount(rng: Random): number {
  const roll = rng.next();
  return roll < 0.5 ? 2 : roll < 0.85 ? 3 : 4;
}
