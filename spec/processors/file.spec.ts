import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileProcessor } from '../../lib/index.js';
import { batchOf, podEntry } from './fixtures.js';

describe('fileProcessor', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tattler-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const namesIn = async (path: string): Promise<string[]> =>
    (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { name: string }).name);

  it('should append one NDJSON line per entry, keeping what the file held', async () => {
    const path = join(dir, 'out.ndjson');
    await writeFile(path, '{"name":"before"}\n');
    const processor = fileProcessor({ path });

    await processor.process(batchOf([podEntry('a'), podEntry('b')]));
    await processor.process(batchOf([podEntry('c')]));
    await processor.close?.();

    expect(await namesIn(path)).toEqual(['before', 'a', 'b', 'c']);
  });

  it('should rotate before a batch would pass maxBytes, never splitting a batch', async () => {
    const path = join(dir, 'out.ndjson');
    const oneLine = await sizeOfBatch(dir, ['x']);
    const processor = fileProcessor({ path, maxBytes: oneLine * 2, maxFiles: 2 });

    await processor.process(batchOf([podEntry('a')]));
    await processor.process(batchOf([podEntry('b')]));
    await processor.process(batchOf([podEntry('c'), podEntry('d')]));
    await processor.process(batchOf([podEntry('e')]));
    await processor.process(batchOf([podEntry('f')]));
    await processor.process(batchOf([podEntry('g'), podEntry('h')]));
    await processor.close?.();

    expect((await readdir(dir)).sort()).toEqual(['out.ndjson', 'out.ndjson.1', 'out.ndjson.2']);
    expect(await namesIn(`${path}.2`)).toEqual(['c', 'd']);
    expect(await namesIn(`${path}.1`)).toEqual(['e', 'f']);
    expect(await namesIn(path)).toEqual(['g', 'h']);
  });

  it('should truncate instead of keeping rotated files when maxFiles is 0', async () => {
    const path = join(dir, 'out.ndjson');
    const processor = fileProcessor({ path, maxBytes: 10, maxFiles: 0 });

    await processor.process(batchOf([podEntry('a')]));
    await processor.process(batchOf([podEntry('b')]));
    await processor.close?.();

    expect(await readdir(dir)).toEqual(['out.ndjson']);
    expect(await namesIn(path)).toEqual(['b']);
  });

  it.each([
    [{ maxBytes: 0 }, /maxBytes must be a whole number of bytes greater than 0 \(got 0\)/],
    [{ maxBytes: Number.NaN }, /maxBytes .* \(got NaN\)/],
    [{ maxFiles: -1 }, /maxFiles must be a whole number of at least 0 \(got -1\)/],
    [{ maxFiles: 1.5 }, /maxFiles .* \(got 1.5\)/],
  ])('should throw a ConfigError at construction for %p', (limits, message) => {
    expect(() => fileProcessor({ path: join(dir, 'out.ndjson'), ...limits })).toThrow(message);
  });

  it('should reject when the file cannot be opened', async () => {
    const processor = fileProcessor({ path: join(dir, 'missing', 'out.ndjson') });
    await expect(processor.process(batchOf([podEntry('a')]))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

/** The size in bytes of a batch of pods with these names, as the processor writes it. */
async function sizeOfBatch(dir: string, names: string[]): Promise<number> {
  const path = join(dir, 'probe.ndjson');
  const processor = fileProcessor({ path });
  await processor.process(batchOf(names.map((name) => podEntry(name))));
  await processor.close?.();
  const size = (await readFile(path)).length;
  await rm(path);
  return size;
}
