import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { CliMetrics } from '../../lib/cli/metrics.js';
import {
  runTattler as startTattler,
  type RunningTattler,
  type RunTattlerOptions,
} from '../../lib/cli/run.js';
import { StatusLine } from '../../lib/cli/status-line.js';
import {
  parseConfig,
  silentLogger,
  TattlerError,
  type Logger,
  type TattlerConfig,
} from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';
import { fakeReader, targetOf, type FakeReader } from './fake-reader.js';
import { valueOf } from './metric-values.js';

/** A webhook receiver that holds every request until the test answers it. */
async function holdingReceiver(): Promise<{
  url: string;
  nextRequest: () => Promise<ServerResponse>;
  close: () => Promise<void>;
}> {
  const waiting: ServerResponse[] = [];
  const wanted: ((response: ServerResponse) => void)[] = [];
  const server = createServer((request, response) => {
    request.resume();
    const taker = wanted.shift();
    if (taker === undefined) waiting.push(response);
    else taker(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    nextRequest: () =>
      new Promise((resolve) => {
        const response = waiting.shift();
        if (response === undefined) wanted.push(resolve);
        else resolve(response);
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const configOf = (raw: object): TattlerConfig => {
  const result = parseConfig(raw, 'test.yaml');
  if (E.isLeft(result)) throw result.left;
  return result.right;
};

describe('runTattler', () => {
  let dir: string;
  let reader: FakeReader;
  let metrics: CliMetrics;
  let runs: RunningTattler[] = [];
  // Every run is stopped, even when a test fails half way.
  const runTattler = (options: RunTattlerOptions): RunningTattler => {
    const running = startTattler(options);
    runs.push(running);
    return running;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tattler-run-'));
    reader = fakeReader();
    metrics = new CliMetrics({ processMetrics: false });
  });
  afterEach(async () => {
    await Promise.all(runs.map((running) => running.stop(1)));
    runs = [];
    await rm(dir, { recursive: true, force: true });
  });

  const optionsFor = (config: TattlerConfig, logger: Logger = silentLogger): RunTattlerOptions => ({
    config,
    kubeConfig: new KubeConfig(),
    logger,
    metrics,
    openReader: reader.open,
  });

  it('should leave no reader running when the pipeline cannot be built', () => {
    const valid = configOf({ processors: [{ type: 'file', path: join(dir, 'out.ndjson') }] });
    // A value the schema refuses, as if schema and pipeline disagreed on a range.
    const config = { ...valid, batch: { ...valid.batch, timeSpan: 0 } };

    expect(() => runTattler(optionsFor(config))).toThrow(/timeSpan/);
    expect(reader.subscribers()).toBe(0);
  });

  describe('stop', () => {
    const webhookConfig = (url: string): TattlerConfig =>
      configOf({
        batch: { timeSpan: 1, maxSize: 1 },
        processors: [{ type: 'webhook', url, retries: 0, timeout: '1h', buffer: { capacity: 1 } }],
      });

    it('should count what the shutdown deadline drops as unsubscribed', async () => {
      const receiver = await holdingReceiver();
      try {
        const running = runTattler(optionsFor(webhookConfig(receiver.url)));
        reader.entries.next(makeEntry('a'));
        await receiver.nextRequest();
        reader.entries.next(makeEntry('b'));

        await running.stop(1);
        await running.done;

        const labels = { processor: 'webhook', reason: 'unsubscribed' };
        expect(await valueOf(metrics, 'tattler_dropped_entries_total', labels)).toBe(2);
      } finally {
        await receiver.close();
      }
    });

    it('should count and log a batch that fails while the buffers drain', async () => {
      const receiver = await holdingReceiver();
      const warnings: object[] = [];
      const logger = { ...silentLogger, warn: (fields: object) => void warnings.push(fields) };
      try {
        const running = runTattler(optionsFor(webhookConfig(receiver.url), logger));
        reader.entries.next(makeEntry('a'));
        const held = await receiver.nextRequest();

        const stopped = running.stop(60_000);
        held.writeHead(500).end();
        await stopped;
        await running.done;

        const labels = { processor: 'webhook', reason: 'failed' };
        expect(await valueOf(metrics, 'tattler_dropped_entries_total', labels)).toBe(1);
        expect(warnings).toContainEqual(
          expect.objectContaining({ processor: 'webhook', phase: 'process' }),
        );
      } finally {
        await receiver.close();
      }
    });
    it("should count a down webhook's failed entries in the final summary as the metric does", async () => {
      const receiver = await holdingReceiver();
      const warnings: { fields: object; message?: string }[] = [];
      const logger = {
        ...silentLogger,
        warn: (fields: object, message?: string) => void warnings.push({ fields, message }),
      };
      try {
        const running = runTattler(optionsFor(webhookConfig(receiver.url), logger));
        for (const uid of ['a', 'b']) {
          reader.entries.next(makeEntry(uid));
          (await receiver.nextRequest()).writeHead(503).end();
        }
        await running.stop(60_000);
        await running.done;

        const labels = { processor: 'webhook', reason: 'failed' };
        const failed = await valueOf(metrics, 'tattler_dropped_entries_total', labels);
        const summary = warnings.find(({ message }) => /in the last \d+ ms/.test(message ?? ''));
        expect(failed).toBe(2);
        expect(summary?.fields).toMatchObject({
          processors: {
            webhook: { failed: { batches: 2, entries: failed }, dropped: { batches: 0 } },
          },
        });
        expect(summary?.message).toMatch(/2 batches \(2 entries\) failed in their processor/);
      } finally {
        await receiver.close();
      }
    });
  });

  describe('progress', () => {
    it('should count the initial lists by kind, however the kinds were written', async () => {
      const terminal = Object.assign(new PassThrough(), { isTTY: true });
      let text = '';
      terminal.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const config = configOf({
        kinds: [{ kind: 'pods' }, { kind: 'no' }],
        processors: [{ type: 'file', path: join(dir, 'out.ndjson') }],
      });
      const running = runTattler({
        ...optionsFor(config),
        statusLine: new StatusLine(terminal, true),
      });

      reader.entries.next(makeEntry('a', '1', 'snapshot', 'Pod'));
      reader.entries.next(makeEntry('b', '1', 'snapshot', 'Pod'));
      reader.entries.next(makeEntry('n', '1', 'snapshot', 'Node'));
      reader.synced.next({ kinds: { Pod: true, Node: true }, all: true });
      await running.stop(1000);

      expect(text.split('\r\x1b[2K').at(-1)).toBe('initial list: Pod 2 done, Node 1 done\n');
      const labels = { kind: 'Pod', change: 'snapshot' };
      expect(await valueOf(metrics, 'tattler_entries_total', labels)).toBe(2);
    });
  });

  describe('ready', () => {
    const lines: { level: string; fields: object; message?: string }[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: (fields, message) => void lines.push({ level: 'info', fields, message }),
      warn: (fields, message) => void lines.push({ level: 'warn', fields, message }),
      error: () => undefined,
    };
    beforeEach(() => void lines.splice(0));
    const start = (): RunningTattler =>
      runTattler(
        optionsFor(
          configOf({
            kinds: [{ kind: 'Pod' }, { kind: 'Node' }],
            processors: [{ type: 'file', path: join(dir, 'out.ndjson') }],
          }),
          logger,
        ),
      );
    const forbidden = new TattlerError('AccessDeniedError', 'may not list v1/nodes');

    it('should follow the sync state: not ready until every kind has synced', async () => {
      const running = start();
      expect(running.ready()).toBe(false);

      reader.synced.next({ kinds: { Pod: true, Node: false }, all: false });
      expect(running.ready()).toBe(false);
      reader.synced.next({ kinds: { Pod: true, Node: true }, all: true });
      expect(running.ready()).toBe(true);

      expect(await valueOf(metrics, 'tattler_synced', { kind: 'Node' })).toBe(1);
      expect(lines.map((line) => line.message)).toContain(
        'initial lists delivered; watching for changes',
      );
    });

    it('should be ready once the other kinds synced when a kind failed for good, and say so', async () => {
      const running = start();
      reader.synced.next({ kinds: { Pod: true, Node: false }, all: false });
      reader.events.next({ type: 'failed', target: targetOf('Node'), error: forbidden });
      expect(running.ready()).toBe(false);

      reader.synced.next({ kinds: { Pod: true, Node: false }, all: true });

      expect(running.ready()).toBe(true);
      expect(await valueOf(metrics, 'tattler_reader_failures_total', { kind: 'Node' })).toBe(1);
      expect(await valueOf(metrics, 'tattler_synced', { kind: 'Node' })).toBe(0);
      const warning = lines.find((line) => line.level === 'warn');
      expect(warning?.message).toMatch(/except Node, which failed for good/);
      expect(warning?.fields).toMatchObject({ failed: { Node: 'may not list v1/nodes' } });
    });

    it('should wait for the failed event of a kind that has not synced', async () => {
      const running = start();
      reader.synced.next({ kinds: { Pod: true, Node: false }, all: true });
      expect(running.ready()).toBe(false);

      reader.events.next({ type: 'failed', target: targetOf('Node'), error: forbidden });

      expect(running.ready()).toBe(true);
    });
  });
});
