import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { either as E } from 'fp-ts';
import { CliMetrics } from '../../../lib/cli/metrics.js';
import { runTattler, type RunningTattler } from '../../../lib/cli/run.js';
import { parseConfig, readCluster, type Logger } from '../../../lib/index.js';
import { kubeConfigFor, sharedCluster } from '../../support/cluster.js';

const cluster = sharedCluster();

interface Line {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line and resolves waits on them. */
function recordingLogger(): Logger & {
  lines: Line[];
  waitFor(predicate: (line: Line) => boolean): Promise<Line>;
} {
  const lines: Line[] = [];
  const waits = new Set<() => void>();
  const at =
    (level: string) =>
    (fields: object, message?: string): void => {
      lines.push({ level, fields: fields as Record<string, unknown>, message: message ?? '' });
      waits.forEach((check) => check());
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    waitFor: (predicate) =>
      new Promise((resolve) => {
        const check = (): void => {
          const line = lines.find(predicate);
          if (line === undefined) return;
          waits.delete(check);
          resolve(line);
        };
        waits.add(check);
        check();
      }),
  };
}

describe('the command on a quiet cluster', () => {
  let dir: string;
  let running: RunningTattler | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tattler-quiet-'));
  });
  afterEach(async () => {
    await running?.stop(1000);
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('should log a quiet watch watched again at info, and warn only when it repeats in a row', async () => {
    const parsed = parseConfig(
      {
        // No node has this name: the watch receives nothing, as on a quiet test cluster.
        kinds: [{ kind: 'Node', fieldSelector: 'metadata.name=tattler-no-such-node' }],
        processors: [{ type: 'file', path: join(dir, 'out.ndjson') }],
      },
      'the test',
    );
    if (E.isLeft(parsed)) throw parsed.left;
    const logger = recordingLogger();
    running = runTattler({
      config: parsed.right,
      kubeConfig: kubeConfigFor(cluster, 'admin'),
      logger,
      metrics: new CliMetrics({ processMetrics: false }),
      // The 120 s idle limit, shortened. A watch this short counts as not having worked, so
      // the second quiet watch is a second retry in a row.
      openReader: (kubeConfig, options) =>
        readCluster(kubeConfig, { ...options, idleTimeoutMs: 1000 }),
    });

    // The command's lines; the readers' own, with the same facts, are at debug.
    const ours = (attempt: number) => (line: Line) =>
      line.level !== 'debug' && line.fields['attempt'] === attempt;
    const quiet = await logger.waitFor(ours(1));
    const repeated = await logger.waitFor(ours(2));

    expect(quiet).toMatchObject({
      level: 'info',
      fields: { kind: 'Node', resource: 'v1/nodes', attempt: 1 },
      message: expect.stringMatching(
        /^reader watches again after a quiet watch: the watch of v1\/nodes .*received nothing for 1000 ms/,
      ),
    });
    expect(repeated).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/^reader retries after an error: the watch of v1\/nodes/),
    });
    const retries = logger.lines.filter(
      (line) => line.level !== 'debug' && typeof line.fields['attempt'] === 'number',
    );
    expect(retries.slice(0, 2)).toEqual([quiet, repeated]);
    expect(
      logger.lines.filter((line) => line.level === 'debug' && line.fields['attempt'] === 1),
    ).toHaveLength(1);
  });
});
