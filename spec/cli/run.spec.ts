import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { CliMetrics } from '../../lib/cli/metrics.js';
import { runTattler, type RunTattlerOptions } from '../../lib/cli/run.js';
import { parseConfig, silentLogger, type TattlerConfig } from '../../lib/index.js';
import { fakeReader, type FakeReader } from './fake-reader.js';

const configOf = (raw: object): TattlerConfig => {
  const result = parseConfig(raw, 'test.yaml');
  if (E.isLeft(result)) throw result.left;
  return result.right;
};

describe('runTattler', () => {
  let dir: string;
  let reader: FakeReader;
  let metrics: CliMetrics;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tattler-run-'));
    reader = fakeReader();
    metrics = new CliMetrics({ processMetrics: false });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const optionsFor = (config: TattlerConfig): RunTattlerOptions => ({
    config,
    kubeConfig: new KubeConfig(),
    logger: silentLogger,
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
});
