import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { either as E } from 'fp-ts';
import { loadConfig, parseConfig, type TattlerConfig } from '../../lib/config/index.js';

const messageOf = (result: E.Either<Error, unknown>): string =>
  E.isLeft(result) ? result.left.message : 'no error';

const valid = (raw: unknown): TattlerConfig => {
  const result = parseConfig(raw, 'test.yaml');
  if (E.isLeft(result)) throw result.left;
  return result.right;
};

describe('parseConfig', () => {
  it('should fill every default for an empty document', () => {
    const config = valid(null);
    expect(config.kinds.map((kind) => kind.kind)).toEqual(['Namespace', 'Node', 'Pod']);
    expect(config.processors).toEqual([
      { type: 'stdout', buffer: { capacity: 16, overflow: 'drop-oldest' } },
    ]);
    expect(config.preprocess.dropFields).toEqual(['metadata.managedFields']);
    expect(config.batch).toEqual({ timeSpan: 1000, maxSize: 500 });
    expect(config.cluster.inCluster).toBe('auto');
  });

  it('should turn durations and sizes into milliseconds and bytes', () => {
    const config = valid({
      batch: { timeSpan: '2.5s' },
      shutdown: { timeout: '1m' },
      processors: [
        { type: 'file', path: '/tmp/x', maxSize: '10Mi' },
        { type: 'webhook', url: 'http://127.0.0.1/', timeout: 250, minRetryDelay: '100ms' },
      ],
    });
    expect(config.batch.timeSpan).toBe(2500);
    expect(config.shutdown.timeout).toBe(60_000);
    expect(config.processors[0]).toMatchObject({ maxSize: 10 * 1024 * 1024, maxFiles: 5 });
    expect(config.processors[1]).toMatchObject({ timeout: 250, minRetryDelay: 100, retries: 5 });
  });

  it.each([
    ['1m30s', 90_000],
    ['1h 30m', 5_400_000],
    ['2.5s', 2500],
    ['1h2m3s4ms', 3_723_004],
    [' 250ms ', 250],
    [250, 250],
  ])('should read the duration %j as %d ms', (timeSpan, ms) => {
    expect(valid({ batch: { timeSpan } }).batch.timeSpan).toBe(ms);
  });

  it.each([
    ['10Mi', 10 * 1024 ** 2],
    ['10MiB', 10 * 1024 ** 2],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['500KB', 500_000],
    ['500kB', 500_000],
    ['2GB', 2e9],
    ['64 B', 64],
    [4096, 4096],
  ])('should read the size %j as %d bytes', (maxSize, size) => {
    const [file] = valid({ processors: [{ type: 'file', path: '/tmp/x', maxSize }] }).processors;
    expect(file).toMatchObject({ maxSize: size });
  });

  it.each([
    [{ batch: { timeSpan: '-5s' } }, 'batch.timeSpan: expected a duration', 'found "-5s"'],
    [{ batch: { timeSpan: '5s soon' } }, 'batch.timeSpan: expected a duration', '"5s soon"'],
    [{ batch: { timeSpan: '1d' } }, 'batch.timeSpan: expected a duration', 'found "1d"'],
    [
      { processors: [{ type: 'file', path: '/x', maxSize: '10 Mb' }] },
      'processors[0].maxSize: expected a size such as 10Mi',
      'found "10 Mb"',
    ],
    [
      { processors: [{ type: 'file', path: '/x', maxSize: '0.4B' }] },
      'processors[0].maxSize: expected a size such as 10Mi, 500KB or 1Gi, or a number of bytes, of 1 or more',
      'found "0.4B"',
    ],
    [
      { batch: { timeSpan: '5 sec' } },
      'batch.timeSpan: expected a duration such as',
      'found "5 sec"',
    ],
    [{ batch: { maxSize: 'x' } }, 'batch.maxSize: expected number', 'found "x"'],
    [
      { batch: { timeSpan: 0 } },
      'batch.timeSpan: expected a duration greater than 0 and at most 2147483647ms',
      'found 0',
    ],
    [
      { batch: { timeSpan: '600h' } },
      'batch.timeSpan: expected a duration greater than 0 and at most 2147483647ms',
      'found "600h"',
    ],
    [
      { reader: { relistInterval: '0s' } },
      'reader.relistInterval: expected a duration greater',
      '"0s"',
    ],
    [
      { shutdown: { timeout: '600h' } },
      'shutdown.timeout: expected a duration of 0 or more',
      '"600h"',
    ],
    [
      { processors: [{ type: 'webhook', url: 'https://x/', timeout: '0ms' }] },
      'processors[0].timeout: expected a duration greater than 0',
      'found "0ms"',
    ],
    [
      {
        processors: [
          { type: 'webhook', url: 'https://x/', minRetryDelay: '2s', maxRetryDelay: '1s' },
        ],
      },
      'processors[0].maxRetryDelay: expected at least minRetryDelay (2000ms)',
      'found "1000ms"',
    ],
    [
      { kinds: [{ kind: 'Pod', namspaces: [] }] },
      'kinds[0]: unknown field namspaces (namspaces: did you mean namespaces?)',
      'remove it or fix the spelling',
    ],
    [
      { batch: { timeSpann: '1s', zzz: 1 } },
      'batch: unknown fields timeSpann, zzz (timeSpann: did you mean timeSpan?)',
      'remove them or fix the spelling',
    ],
    [{ kind: [] }, '(top level): unknown field kind (kind: did you mean kinds?)', 'spelling'],
    [{ kinds: [] }, 'kinds: expected at least one kind', 'found a list of 0'],
    [
      { kinds: [{ kind: 'Pod' }, { kind: 'Nodes' }, { kind: 'Sercet!' }] },
      'kinds[2].kind: expected a kind, its plural or short name (letters, digits and dashes;',
      'did you mean Secret?, found "Sercet!"',
    ],
    [
      { kinds: [{ kind: 'Pod', namespaces: ['a'] }, { kind: 'pods' }] },
      'kinds[1].kind: expected each kind once, but this names Pod like kinds[0] with other settings',
      'found "pods"',
    ],
    [
      { processors: [{ type: 'webhok' }] },
      'processors[0].type: expected type to be one of',
      '"webhok"',
    ],
    [
      { processors: [{ type: 'webhook', url: 'ftp://x' }] },
      'processors[0].url: expected an http',
      '"ftp://x"',
    ],
    [{ processors: [{ type: 'file' }] }, 'processors[0].path: expected string', 'field is missing'],
    [{ logLevel: 'loud' }, 'logLevel: expected one of "trace"', 'found "loud"'],
    [
      { preprocess: { dropFields: [['metadata', 1]] } },
      'preprocess.dropFields[0]: expected a dotted path',
      'but segment 1 is 1 (a number)',
    ],
    [
      { preprocess: { dropFields: ['spec..x'] } },
      'preprocess.dropFields[0]: expected a dotted path',
      'without empty segments, found "spec..x"',
    ],
    [{ metrics: { port: 70000 } }, 'metrics.port: expected number to be <=65535', 'found 70000'],
    [{ redaction: { envNames: '(' } }, 'redaction.envNames: expected a valid regular', 'found "("'],
    [
      { processors: [{ type: 'webhook', url: 'https://x/', certFile: 'c.pem' }] },
      'processors[0].certFile: expected certFile and keyFile together',
      'needs its key',
    ],
    [
      { processors: [{ type: 'stdout' }, { type: 'stdout' }] },
      'processors[1].name: expected a name no other processor has (two of one type need a name each)',
      ', found "stdout"',
    ],
  ])('should name the field, what was expected and what was found: %j', (raw, where, found) => {
    const message = messageOf(parseConfig(raw, 'test.yaml'));
    expect(message).toContain('invalid config in test.yaml');
    expect(message).toContain(where);
    expect(message).toContain(found);
    expect(message).toContain('docs/config.md');
  });

  it('should read a kind listed twice with the same settings once', () => {
    const kinds = valid({ kinds: [{ kind: 'Pod' }, { kind: 'Node' }, { kind: 'po' }] }).kinds;
    expect(kinds).toEqual([{ kind: 'Pod' }, { kind: 'Node' }]);
  });

  it('should report every problem at once', () => {
    const message = messageOf(parseConfig({ logLevel: 1, batch: { maxSize: 0 } }, 'test.yaml'));
    expect(message.split('\n').filter((line) => line.startsWith('  '))).toHaveLength(2);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tattler-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should read and validate a YAML file', async () => {
    const path = join(dir, 'tattler.yaml');
    await writeFile(path, 'kinds:\n  - kind: Pod\n    namespaces: [web]\n    selector: app=web\n');
    const result = await loadConfig(path);
    expect(E.isRight(result) && result.right.kinds).toEqual([
      { kind: 'Pod', namespaces: ['web'], selector: 'app=web' },
    ]);
  });

  it("should read ~ as home and relative paths against the file's own directory", async () => {
    const path = join(dir, 'conf', 'tattler.yaml');
    await mkdir(join(dir, 'conf'));
    await writeFile(
      path,
      [
        'cluster: { kubeconfig: ~/.kube/prod }',
        'processors:',
        '  - { type: file, path: out/entries.ndjson }',
        '  - { type: webhook, url: "https://x/", caFile: ../ca.pem, bearerTokenFile: /run/token }',
        '',
      ].join('\n'),
    );
    const result = await loadConfig(path);
    const config = E.isRight(result) ? result.right : undefined;

    expect(config?.cluster.kubeconfig).toBe(join(homedir(), '.kube', 'prod'));
    expect(config?.processors[0]).toMatchObject({
      path: join(dir, 'conf', 'out', 'entries.ndjson'),
    });
    expect(config?.processors[1]).toMatchObject({
      caFile: join(dir, 'ca.pem'),
      bearerTokenFile: '/run/token',
    });
    expect(config?.processors[1]).not.toHaveProperty('certFile');
  });

  it('should name the line of a YAML syntax error', async () => {
    const path = join(dir, 'tattler.yaml');
    await writeFile(path, 'kinds:\n  - kind: Pod\n   bad: [\n');
    const message = messageOf(await loadConfig(path));
    expect(message).toMatch(/is not valid YAML: .*line \d+/s);
  });

  it('should say when the file cannot be read', async () => {
    const message = messageOf(await loadConfig(join(dir, 'missing.yaml')));
    expect(message).toMatch(/cannot read the config file .*missing\.yaml \(ENOENT\)/);
  });
});

describe('examples/tattler.yaml', () => {
  it('should be a valid config', async () => {
    const result = await loadConfig('examples/tattler.yaml');
    expect(messageOf(result)).toBe('no error');
  });

  it('should read a section whose fields are all commented out as its defaults', () => {
    expect(valid({ redaction: null, metrics: null }).metrics).toEqual({ host: '0.0.0.0' });
  });
});
