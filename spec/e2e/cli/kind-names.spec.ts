import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import {
  createDefinitions,
  definition,
  deleteDefinitions,
} from '../../support/custom-resources.js';
import { removeConfigs, runTattler, writeConfig, type TattlerProcess } from './run-tattler.js';

jest.setTimeout(90_000);

const cluster = sharedCluster();
const admin: KubeConfig = kubeConfigFor(cluster, 'admin');
const group = `cli-names-${randomBytes(4).toString('hex')}.example.com`;
const definitions = [definition(group, { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] })];

describe('tattler command, kinds named as the API server knows them', () => {
  let running: TattlerProcess | undefined;

  beforeAll(() => createDefinitions(admin, definitions));
  afterAll(() => deleteDefinitions(admin, definitions));
  afterAll(removeConfigs);
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('should read a kind outside the catalogue and a custom resource named by short name', async () => {
    const namespace = await createTestNamespace(admin, 'cli-names');
    running = runTattler([
      ...['--kubeconfig', cluster.kubeconfigs.admin, '-n', namespace],
      ...['--kinds', 'ServiceAccount,wd,serviceaccounts'],
    ]);
    const delivered = await running.waitForLog(
      (line) => line.msg?.startsWith('initial lists') === true,
    );
    // Named after their kinds, however written, and read once.
    expect(delivered.kinds).toEqual({ ServiceAccount: true, Widget: true });

    await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name: 'robot' } },
    });
    await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group,
      version: 'v1',
      namespace,
      plural: 'widgets',
      body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'sprocket' } },
    });
    await running.waitForRecords((records) => records.length >= 2);
    expect(running.records.map(({ kind, name }) => `${kind} ${name}`).sort()).toEqual([
      'ServiceAccount robot',
      'Widget sprocket',
    ]);
  });

  it('should exit 1 naming every name the server does not know, where it was written and the closest names', async () => {
    running = runTattler([
      ...['--kubeconfig', cluster.kubeconfigs.admin, '--kinds', 'Widgit,Pod,Podd,wd'],
    ]);

    expect(await running.exited).toBe(1);
    const lines = running.stderrText().trim().split('\n');
    expect(lines).toEqual([
      `tattler: invalid kinds, as the API server at ${cluster.server} knows them:`,
      expect.stringMatching(/^ {2}--kinds: unknown resource "Widgit": .*; did you mean Widget\? /),
      expect.stringMatching(/^ {2}--kinds: unknown resource "Podd": .*; did you mean Pod\? /),
      'Fix the names above.',
    ]);
  });

  it('should name the config file for a name written there', async () => {
    const config = writeConfig({ kinds: [{ kind: 'Pod' }, { kind: 'Gizmo' }] });
    running = runTattler(['--config', config, '--kubeconfig', cluster.kubeconfigs.admin]);

    expect(await running.exited).toBe(1);
    expect(running.stderrText()).toContain(`  kinds (in ${config}): unknown resource "Gizmo"`);
  });

  it('should be ready without a found kind the user may not read, as without a built-in one', async () => {
    const namespace = await createTestNamespace(admin, 'cli-names-rbac');
    running = runTattler([
      ...['--kubeconfig', cluster.kubeconfigs.restricted, '-n', namespace],
      ...['--kinds', 'Pod,sa', '--metrics-port', '0'],
    ]);

    const warning = await running.waitForLog((line) =>
      /except ServiceAccount/.test(line.msg ?? ''),
    );
    expect(warning.level).toBe(40);
    const { port } = await running.waitForLog(
      (line) => line.msg === 'serving /metrics, /healthz and /readyz',
    );
    expect((await fetch(`http://127.0.0.1:${String(port)}/readyz`)).status).toBe(200);
  });
});
