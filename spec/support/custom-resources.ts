/**
 * CustomResourceDefinitions for tests against the test API server: created, and awaited
 * until the server serves them.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  ApiextensionsV1Api,
  ApisApi,
  Watch,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';

/** Resolves once the API server reports the CRD Established, by watching it. */
export function established(kc: KubeConfig, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let controller: AbortController | undefined;
    let done = false;
    const isEstablished = (crd: V1CustomResourceDefinition): boolean =>
      (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
    void new Watch(kc)
      .watch(
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        { fieldSelector: `metadata.name=${name}` },
        (_type, crd: V1CustomResourceDefinition) => {
          if (!done && isEstablished(crd)) {
            done = true;
            controller?.abort();
            resolve();
          }
        },
        (error) => (done ? undefined : reject(error ?? new Error(`watch of ${name} ended`))),
      )
      .then((c) => (done ? c.abort() : (controller = c)), reject);
  });
}

/**
 * A namespaced CRD whose objects keep any field, served at `versions` (the first one stored).
 *
 * @param group the API group, such as `tattler-1234.example.com`
 * @param names the plural, the kind and any short names; the singular is the lowercase kind
 * @param versions the versions served
 * @returns the definition, to pass to {@link createDefinitions}
 */
export function definition(
  group: string,
  names: { readonly plural: string; readonly kind: string; readonly shortNames?: string[] },
  versions: readonly string[] = ['v1'],
): V1CustomResourceDefinition {
  return {
    metadata: { name: `${names.plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { ...names, singular: names.kind.toLowerCase() },
      versions: versions.map((name, index) => ({
        name,
        served: true,
        storage: index === 0,
        schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
      })),
    },
  };
}

/**
 * Resolves once discovery lists every version of the definition's group. The API server
 * updates discovery on its own after it reports a definition Established, and gives no event
 * for it: this asks every 100 ms, for 30 s at most.
 */
export async function inDiscovery(kc: KubeConfig, body: V1CustomResourceDefinition): Promise<void> {
  const apis = kc.makeApiClient(ApisApi);
  const wanted = body.spec.versions.map((version) => `${body.spec.group}/${version.name}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const groups = (await apis.getAPIVersions()).groups;
    const listed = new Set(groups.flatMap((g) => g.versions.map((v) => v.groupVersion)));
    if (wanted.every((groupVersion) => listed.has(groupVersion))) return;
    if (Date.now() > deadline) throw new Error(`${wanted.join(', ')} not in discovery after 30 s`);
    await delay(100);
  }
}

/** Creates the definitions and resolves once each is Established and in discovery. */
export async function createDefinitions(
  kc: KubeConfig,
  definitions: readonly V1CustomResourceDefinition[],
): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  await Promise.all(
    definitions.map(async (body) => {
      const ready = established(kc, body.metadata?.name ?? '');
      await api.createCustomResourceDefinition({ body });
      await ready;
      await inDiscovery(kc, body);
    }),
  );
}

/** Deletes the definitions. */
export async function deleteDefinitions(
  kc: KubeConfig,
  definitions: readonly V1CustomResourceDefinition[],
): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  await Promise.all(
    definitions.map((body) =>
      api.deleteCustomResourceDefinition({ name: body.metadata?.name ?? '' }),
    ),
  );
}
