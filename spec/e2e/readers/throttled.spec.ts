import { readCluster } from '../../../lib/index.js';
import { kubeConfigFor, startTestCluster, type TestCluster } from '../../support/cluster.js';
import { record, type Recording } from './harness.js';

// Without priority and fairness and with one request in flight at a time, the server answers
// concurrent lists with 429 Too Many Requests and a Retry-After.
describe('readCluster on a server that throttles', () => {
  let cluster: TestCluster;
  let recording: Recording | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster({
      apiserverArgs: ['--enable-priority-and-fairness=false', '--max-requests-inflight=1'],
    });
  }, 300_000);

  afterEach(() => recording?.stop());

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it('should retry a 429 no sooner than its Retry-After and sync every kind', async () => {
    // The restricted user, since system:masters is exempt from the in-flight limit; one
    // list per namespace, all at once.
    const namespaces = Array.from({ length: 40 }, (_, i) => `throttled-${i}`);
    recording = record(
      readCluster(kubeConfigFor(cluster, 'restricted'), {
        kinds: [{ resource: 'Pod', namespaces }, { resource: 'Namespace' }],
        initialList: 'paginated',
        backoff: { initialDelayMs: 10, maxDelayMs: 100, factor: 2, jitter: 0.5 },
      }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'every kind synced', 100_000);
    expect(Object.values(r.syncs.at(-1)?.kinds ?? {}).every(Boolean)).toBe(true);
    const throttled = r.events.flatMap((e) =>
      e.type === 'retry' && e.error.message.includes('429') ? [e] : [],
    );
    expect(throttled.length).toBeGreaterThan(0);
    // The backoff alone would wait at most 100 ms; the server asked for a second.
    expect(throttled.every((e) => e.delayMs >= 1000)).toBe(true);
  }, 120_000);
});
