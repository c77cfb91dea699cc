import { jest } from '@jest/globals';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { EntryRecord } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { deliveredNames, startReceiver, type Receiver } from './receiver.js';
import {
  removeConfigs,
  runTattler,
  writeConfig,
  type LogLine,
  type TattlerProcess,
} from './run-tattler.js';

jest.setTimeout(90_000);

const cluster = sharedCluster();
const admin: KubeConfig = kubeConfigFor(cluster, 'admin');
const core = admin.makeApiClient(CoreV1Api);

function pod(name: string): V1Pod {
  return {
    metadata: { name },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'example/app:1',
          env: [
            { name: 'DATABASE_PASSWORD', value: 'hunter2' },
            { name: 'API_TOKEN', value: 'tok-123' },
          ],
        },
      ],
    },
  };
}

const envValues = (record: EntryRecord): unknown[] =>
  ((record.object as V1Pod).spec?.containers ?? []).flatMap((c) =>
    (c.env ?? []).map((e) => e.value),
  );

const namesOf = (records: readonly EntryRecord[], kind: string): Set<string> =>
  new Set(records.filter((record) => record.kind === kind).map((record) => record.name));

const hasAll = (names: Set<string>, wanted: readonly string[]): boolean =>
  wanted.every((name) => names.has(name));

/** The command's warning for a processor's failed batch, logged once per reason. */
const isProcessorFailure =
  (processor: string) =>
  (line: LogLine): boolean =>
    line.processor === processor && line.phase === 'process';

describe('tattler command', () => {
  let running: TattlerProcess | undefined;
  let receiver: Receiver | undefined;
  afterAll(removeConfigs);
  afterEach(async () => {
    await running?.stop();
    await receiver?.close();
    running = undefined;
    receiver = undefined;
  });

  it('should deliver every object created, with env values and Secret data redacted, to stdout and a webhook', async () => {
    const namespace = await createTestNamespace(admin, 'cli-all');
    await core.createNamespacedPod({ namespace, body: pod('before-0') });
    receiver = await startReceiver(() => 204);
    const config = writeConfig({
      batch: { timeSpan: '200ms' },
      processors: [{ type: 'stdout' }, { type: 'webhook', url: receiver.url }],
    });
    running = runTattler([
      '--config',
      config,
      '--kubeconfig',
      cluster.kubeconfigs.admin,
      '-n',
      namespace,
      '--kinds',
      'Pod,Secret',
    ]);
    await running.waitForRecords((records) => namesOf(records, 'Pod').has('before-0'));

    await core.createNamespacedPod({ namespace, body: pod('after-0') });
    await core.createNamespacedPod({ namespace, body: pod('after-1') });
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'db' }, stringData: { password: 'hunter2' } },
    });
    const pods = ['before-0', 'after-0', 'after-1'];
    await running.waitForRecords(
      (records) => hasAll(namesOf(records, 'Pod'), pods) && namesOf(records, 'Secret').has('db'),
    );
    await receiver.waitFor(
      (delivered) =>
        hasAll(deliveredNames(delivered, 'Pod'), pods) &&
        deliveredNames(delivered, 'Secret').has('db'),
    );

    const podRecords = running.records.filter((record) => record.kind === 'Pod');
    expect(podRecords.flatMap(envValues).every((value) => value === 'REDACTED')).toBe(true);
    expect(podRecords.flatMap(envValues).length).toBeGreaterThanOrEqual(6);
    const secret = running.records.find((record) => record.kind === 'Secret');
    expect(secret?.object).not.toHaveProperty('data');
    expect(podRecords.every((record) => record.object.metadata?.managedFields === undefined)).toBe(
      true,
    );
    const sent = JSON.stringify(receiver.delivered);
    expect(sent).not.toContain('hunter2');
    expect(sent).not.toContain('tok-123');
    expect(podRecords.find((record) => record.name === 'before-0')?.change).toBe('snapshot');
    expect(podRecords.find((record) => record.name === 'after-1')?.change).toBe('added');
  });

  it('should deliver batches to a webhook that answers 500 and then recovers', async () => {
    const namespace = await createTestNamespace(admin, 'cli-retry');
    receiver = await startReceiver((request) => (request <= 2 ? 500 : 200));
    const config = writeConfig({
      batch: { timeSpan: '200ms' },
      processors: [{ type: 'webhook', url: receiver.url, retries: 5, minRetryDelay: '50ms' }],
    });
    running = runTattler([
      '--config',
      config,
      '--kubeconfig',
      cluster.kubeconfigs.admin,
      '-n',
      namespace,
      '--kinds',
      'Pod',
    ]);
    await core.createNamespacedPod({ namespace, body: pod('p-0') });
    await core.createNamespacedPod({ namespace, body: pod('p-1') });

    await receiver.waitFor((delivered) => hasAll(deliveredNames(delivered, 'Pod'), ['p-0', 'p-1']));
    expect(receiver.requests()).toBeGreaterThanOrEqual(3);
    expect(running.logs.filter(isProcessorFailure('webhook'))).toEqual([]);
  });

  it('should keep stdout flowing while a hanging webhook drops its batches', async () => {
    const namespace = await createTestNamespace(admin, 'cli-hang');
    receiver = await startReceiver(() => 'hang');
    const config = writeConfig({
      batch: { timeSpan: '100ms' },
      processors: [
        { type: 'stdout' },
        {
          type: 'webhook',
          url: receiver.url,
          timeout: '300ms',
          retries: 0,
          buffer: { capacity: 1 },
        },
      ],
    });
    running = runTattler([
      '--config',
      config,
      '--kubeconfig',
      cluster.kubeconfigs.admin,
      '-n',
      namespace,
      '--kinds',
      'Pod',
      '--metrics-port',
      '0',
    ]);
    const names = ['h-0', 'h-1', 'h-2', 'h-3', 'h-4'];
    for (const name of names) {
      await core.createNamespacedPod({ namespace, body: pod(name) });
      await running.waitForRecords((records) => namesOf(records, 'Pod').has(name));
    }

    const dropped = await running.waitForLog(isProcessorFailure('webhook'));
    expect(dropped).toMatchObject({ level: 40, reason: 'no answer within 300 ms' });
    expect(dropped.msg).toMatch(/dropped a batch of \d+ after 1 attempt\(s\)/);
    const { port } = await running.waitForLog(
      (line) => line.msg === 'serving /metrics, /healthz and /readyz',
    );
    const metrics = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
    expect(metrics).toMatch(
      /^tattler_dropped_entries_total\{processor="webhook",reason="failed"\} [1-9]\d*$/m,
    );
    expect(metrics).toMatch(
      /^tattler_batches_total\{processor="webhook",outcome="failed"\} [1-9]\d*$/m,
    );
    // One line for the reason, however many batches it cost.
    expect(running.logs.filter(isProcessorFailure('webhook'))).toHaveLength(1);
    expect(metrics).not.toMatch(/tattler_dropped_entries_total\{processor="stdout"/);
    expect(receiver.delivered).toHaveLength(0);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'should flush the pending batch on %s and exit 0',
    async (signal) => {
      const namespace = await createTestNamespace(admin, `cli-${signal.toLowerCase()}`);
      await core.createNamespacedPod({ namespace, body: pod('t-0') });
      await core.createNamespacedPod({ namespace, body: pod('t-1') });
      const config = writeConfig({ batch: { timeSpan: '10m', maxSize: 1000 } });
      running = runTattler([
        '--config',
        config,
        '--kubeconfig',
        cluster.kubeconfigs.admin,
        '-n',
        namespace,
        '--kinds',
        'Pod',
      ]);
      await running.waitForLog(
        (line) => line.msg === 'initial lists delivered; watching for changes',
      );
      expect(running.records).toHaveLength(0);

      running.child.kill(signal);
      const code = await running.exited;

      expect(code).toBe(0);
      expect(namesOf(running.records, 'Pod')).toEqual(new Set(['t-0', 't-1']));
      // One line for the start of the stop, with the signal and the deadline.
      const stopping = running.logs.filter((line) => /stopping/.test(line.msg ?? ''));
      expect(stopping).toEqual([
        expect.objectContaining({ msg: 'tattler: stopping', reason: signal, deadlineMs: 10_000 }),
      ]);
    },
  );

  it('should exit 130 at once on a second signal while a processor is still busy', async () => {
    const namespace = await createTestNamespace(admin, 'cli-twice');
    receiver = await startReceiver(() => 'hang');
    const config = writeConfig({
      batch: { timeSpan: '100ms' },
      shutdown: { timeout: '10m' },
      processors: [{ type: 'stdout' }, { type: 'webhook', url: receiver.url, timeout: '10m' }],
    });
    running = runTattler([
      ...['--config', config, '--kubeconfig', cluster.kubeconfigs.admin],
      ...['-n', namespace, '--kinds', 'Pod'],
    ]);
    await core.createNamespacedPod({ namespace, body: pod('w-0') });
    await running.waitForRecords((records) => namesOf(records, 'Pod').has('w-0'));

    running.child.kill('SIGINT');
    await running.waitForLog((line) => line.msg === 'tattler: stopping');
    running.child.kill('SIGTERM');

    expect(await running.exited).toBe(130);
    const abandoned = running.logs.find((line) => /^second signal/.test(line.msg ?? ''));
    expect(abandoned).toMatchObject({ level: 40, busy: 1 });
  });

  it('should exit 1 with the field, what was expected and what was found for a bad config', async () => {
    const config = writeConfig({
      batch: { timeSpan: 'soon' },
      processors: [{ type: 'webhook', url: 'ftp://x' }],
    });
    running = runTattler(['--config', config, '--kubeconfig', cluster.kubeconfigs.admin]);

    expect(await running.exited).toBe(1);
    expect(running.stderrText()).toContain(
      'batch.timeSpan: expected a duration such as 500ms, 5s, 1m30s or 1h, or a number of milliseconds, found "soon"',
    );
    expect(running.stderrText()).toContain(
      'processors[0].url: expected an http:// or https:// URL, found "ftp://x"',
    );
    expect(running.records).toHaveLength(0);
  });

  it("should report the restricted user's missing permission on nodes while pods flow", async () => {
    const namespace = await createTestNamespace(admin, 'cli-rbac');
    await core.createNamespacedPod({ namespace, body: pod('r-0') });
    running = runTattler([
      '--kubeconfig',
      cluster.kubeconfigs.restricted,
      '-n',
      namespace,
      '--kinds',
      'Pod,Node',
      '--metrics-port',
      '0',
    ]);

    const failure = await running.waitForLog((line) => line.kind === 'Node' && line.level >= 50);
    await running.waitForRecords((records) => namesOf(records, 'Pod').has('r-0'));

    const message = failure.msg ?? '';
    expect(failure).not.toHaveProperty('err');
    expect(message).toMatch(/may not (list|watch) v1\/nodes.*403 Forbidden/);
    expect(message).toMatch(/Grant the user "list" and "watch" on v1\/nodes/);
    expect(namesOf(running.records, 'Node').size).toBe(0);

    // Ready without the failed kind (docs/decisions/0009), which the warning and metric show.
    const warning = await running.waitForLog((line) => /except Node/.test(line.msg ?? ''));
    expect(warning.level).toBe(40);
    // One error line for the kind, the command's, with every fact; the reader's is debug.
    const errors = running.logs.filter((line) => line.level >= 50);
    expect(errors).toEqual([failure]);
    expect(failure).toMatchObject({
      kind: 'Node',
      resource: 'v1/nodes',
      verb: expect.stringMatching(/^(list|watch)$/),
      status: 403,
      user: 'restricted',
      tag: 'AccessDeniedError',
    });
    const { port } = await running.waitForLog(
      (line) => line.msg === 'serving /metrics, /healthz and /readyz',
    );
    const base = `http://127.0.0.1:${String(port)}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^tattler_reader_failures_total\{kind="Node"\} 1$/m);
    expect(metrics).toMatch(/^tattler_synced\{kind="Node"\} 0$/m);
    expect(metrics).toMatch(/^tattler_synced\{kind="Pod"\} 1$/m);
  });
  it('should exit 1 naming the error when standard output fails, as on a full disk', async () => {
    const namespace = await createTestNamespace(admin, 'cli-full');
    await core.createNamespacedPod({ namespace, body: pod('f-0') });
    const full = openSync('/dev/full', 'w');
    try {
      running = runTattler(
        ['--kubeconfig', cluster.kubeconfigs.admin, '-n', namespace, '--kinds', 'Pod'],
        { stdout: full },
      );

      expect(await running.exited).toBe(1);
      expect(running.stderrText()).toContain(
        'tattler: cannot write to standard output (ENOSPC); entries were lost.',
      );
    } finally {
      closeSync(full);
    }
  });

  it('should exit 1 with one line naming the flag when the metrics port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      running = runTattler([
        '--kubeconfig',
        cluster.kubeconfigs.admin,
        '--kinds',
        'Namespace',
        '--metrics-port',
        String(port),
      ]);

      expect(await running.exited).toBe(1);
      const line = running.logs.find((log) => log.level >= 50);
      expect(line?.msg).toBe(
        `metrics port ${port} is already in use; choose another with --metrics-port`,
      );
      expect(line).not.toHaveProperty('err');
      expect(running.stderrText()).toContain(
        `tattler: metrics port ${port} is already in use; choose another with --metrics-port`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
