import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProcessor } from '../../lib/cli/build-processors.js';
import { TattlerError } from '../../lib/entry/tattler-error.js';
import { silentLogger } from '../../lib/logger.js';

const fileConfig = (path: string) =>
  ({ type: 'file', name: 'audit', path, maxSize: 1024, maxFiles: 1 }) as const;

describe('buildProcessor', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tattler-build-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should refuse a file processor whose directory is missing, naming it and the fix', () => {
    const path = join(dir, 'missing', 'x.ndjson');
    const build = (): unknown => buildProcessor(fileConfig(path) as never, silentLogger);

    expect(build).toThrow(TattlerError);
    expect(build).toThrow(
      /processor audit: the directory .*missing of path .*x\.ndjson does not exist/,
    );
    expect(build).toThrow(/mkdir -p .*missing/);
  });

  it('should build a file processor whose directory exists', () => {
    const path = join(dir, 'x.ndjson');

    expect(buildProcessor(fileConfig(path) as never, silentLogger).name).toBe('audit');
  });

  it('should refuse a file processor whose path is a directory', () => {
    const path = dir;
    const build = (): unknown => buildProcessor(fileConfig(path) as never, silentLogger);

    expect(build).toThrow(/processor audit: path .* is a directory; expected a file to append to/);
  });

  it('should refuse a webhook whose bearer token file cannot be read', () => {
    const config = {
      type: 'webhook',
      name: 'hook',
      url: 'https://receiver.test/',
      bearerTokenFile: '/nonexistent/token',
      headers: {},
      timeout: 1000,
      retries: 0,
      minRetryDelay: 1,
      maxRetryDelay: 1,
    };
    const build = (): unknown => buildProcessor(config as never, silentLogger);

    expect(build).toThrow(
      /processor hook: cannot read bearerTokenFile \/nonexistent\/token \(ENOENT\)/,
    );
  });
});
