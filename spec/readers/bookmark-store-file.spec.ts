import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileBookmarkStore, TattlerError, type Logger } from '../../lib/index.js';

interface Logged {
  readonly level: string;
  readonly fields: object;
  readonly message: string | undefined;
}

function recordingLogger(): Logger & { readonly lines: Logged[] } {
  const lines: Logged[] = [];
  const at =
    (level: string) =>
    (fields: object, message?: string): void => {
      lines.push({ level, fields, message });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('fileBookmarkStore', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tattler-bookmarks-'));
    path = join(dir, 'state', 'bookmarks.json');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should answer undefined when the file does not exist', async () => {
    await expect(fileBookmarkStore(path).load('pods')).resolves.toBeUndefined();
    expect(existsSync(path)).toBe(false);
  });

  it('should create the directory and file on the first save', async () => {
    await fileBookmarkStore(path).save('pods', '42');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 1,
      bookmarks: { pods: '42' },
    });
  });

  it('should read back what an earlier store saved, as after a restart', async () => {
    const before = fileBookmarkStore(path);
    await before.save('pods', '10');
    await before.save('deployments.apps_ns-web', '11');
    await before.save('pods', '12');

    const after = fileBookmarkStore(path);
    await expect(after.load('pods')).resolves.toBe('12');
    await expect(after.load('deployments.apps_ns-web')).resolves.toBe('11');
    await expect(after.load('nodes')).resolves.toBeUndefined();
  });

  it('should leave no temporary files behind', async () => {
    const store = fileBookmarkStore(path);
    await Promise.all([store.save('a', '1'), store.save('b', '2')]);
    await store.save('c', '3');
    expect(readdirSync(join(dir, 'state'))).toEqual(['bookmarks.json']);
  });

  it('should keep every key and the last value of each under concurrent saves', async () => {
    const store = fileBookmarkStore(path);
    const saves = [];
    for (let version = 1; version <= 50; version += 1) {
      for (const key of ['pods', 'nodes', 'services']) saves.push(store.save(key, `${version}`));
    }
    await Promise.all(saves);

    const bookmarks = JSON.parse(readFileSync(path, 'utf8')).bookmarks;
    expect(bookmarks).toEqual({ nodes: '50', pods: '50', services: '50' });
  });

  it('should start fresh, keep the corrupt file aside and warn once when the file is corrupt', async () => {
    mkdirSync(join(dir, 'state'));
    writeFileSync(path, '{"version": 1, "bookmarks": {"pods": ');
    const logger = recordingLogger();
    const store = fileBookmarkStore(path, { logger });

    await expect(store.load('pods')).resolves.toBeUndefined();
    await store.save('pods', '5');

    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', fields: { path } });
    expect(logger.lines[0]?.message).toContain('corrupt');
    expect(readFileSync(`${path}.corrupt`, 'utf8')).toContain('"pods": ');
    await expect(fileBookmarkStore(path).load('pods')).resolves.toBe('5');
  });

  it.each([
    ['JSON of the wrong shape', '["pods"]'],
    ['an unknown format version', '{"version": 2, "bookmarks": {}}'],
    ['a value that is not a string', '{"version": 1, "bookmarks": {"pods": 5}}'],
    ['an empty file', ''],
  ])('should treat %s as corrupt', async (_, text) => {
    mkdirSync(join(dir, 'state'));
    writeFileSync(path, text);
    const logger = recordingLogger();
    await expect(fileBookmarkStore(path, { logger }).load('pods')).resolves.toBeUndefined();
    expect(logger.lines.map((line) => line.level)).toEqual(['warn']);
  });

  it('should reject load with a ConfigError when the path is a directory', async () => {
    mkdirSync(path, { recursive: true });
    const error = await fileBookmarkStore(path)
      .load('pods')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TattlerError);
    expect(error).toMatchObject({ _tag: 'ConfigError' });
    expect((error as Error).message).toContain(path);
  });

  it('should reject save with a ConfigError when the file cannot be written', async () => {
    const store = fileBookmarkStore(path);
    await store.save('pods', '1');
    rmSync(join(dir, 'state'), { recursive: true });
    writeFileSync(join(dir, 'state'), 'a file where the directory should be');

    const error = await store.save('pods', '2').catch((e: unknown) => e);
    expect(error).toMatchObject({ _tag: 'ConfigError' });
    expect((error as Error).message).toContain(`cannot write the bookmark file ${path}`);
    await expect(store.load('pods')).resolves.toBe('2');
  });
});
