import { CliMetrics } from '../../lib/cli/metrics.js';
import {
  describeBindFailure,
  startMetricsServer,
  type MetricsServer,
} from '../../lib/cli/metrics-server.js';

describe('startMetricsServer', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('should serve metrics, health and readiness', async () => {
    const metrics = new CliMetrics({ processMetrics: false });
    let ready = false;
    server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      ready: () => ready,
    });
    const base = `http://127.0.0.1:${server.port}`;
    metrics.entries.inc({ kind: 'Pod', change: 'added' }, 3);
    metrics.dropped.inc({ processor: 'webhook', reason: 'overflow' }, 2);

    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('tattler_entries_total{kind="Pod",change="added"} 3');
    expect(text).toContain(
      'tattler_dropped_entries_total{processor="webhook",reason="overflow"} 2',
    );
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('should bring counters kept elsewhere up to date at each scrape', async () => {
    const metrics = new CliMetrics({ processMetrics: false });
    let batches = 0;
    let seen = 0;
    metrics.collectFrom(() => {
      metrics.batchesOut.inc(batches - seen);
      seen = batches;
    });
    batches = 4;
    expect(await metrics.registry.metrics()).toContain('tattler_batches_out_total 4');
    batches = 5;
    expect(await metrics.registry.metrics()).toContain('tattler_batches_out_total 5');
  });
});

describe('describeBindFailure', () => {
  const where = { host: '999.1.1.1', port: 9090 };
  const failure = (code: string): Error => Object.assign(new Error(code), { code });

  it.each([
    ['EADDRINUSE', /^metrics port 9090 is already in use; choose another with --metrics-port$/],
    ['EACCES', /port 9090 .*privileges.*--metrics-port/],
    [
      'EADDRNOTAVAIL',
      /^metrics host 999\.1\.1\.1 is not an address of this machine; .*metrics\.host/,
    ],
    ['ENOTFOUND', /^metrics host 999\.1\.1\.1 does not resolve to an address; fix metrics\.host$/],
  ])('should name the setting to fix for %s', (code, expected) => {
    expect(describeBindFailure(failure(code), where)).toMatch(expected);
  });
});
