import { PassThrough, Writable } from 'node:stream';
import { stdoutProcessor, type EntryRecord } from '../../lib/index.js';
import { batchOf, podEntry } from './fixtures.js';

describe('stdoutProcessor', () => {
  it('should write one NDJSON line per entry with the identifying fields and the object', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));

    await stdoutProcessor({ stream }).process(batchOf([podEntry('a'), podEntry('b', 'deleted')]));

    const lines = chunks.join('').split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((line) => JSON.parse(line) as EntryRecord);
    expect(records.map((record) => [record.name, record.change])).toEqual([
      ['a', 'added'],
      ['b', 'deleted'],
    ]);
    expect(records[0]).toEqual({
      kind: 'Pod',
      namespace: 'default',
      name: 'a',
      uid: 'uid-a',
      resourceVersion: '7',
      change: 'added',
      source: 'apiserver.watch',
      observedAt: '2026-01-02T03:04:05.000Z',
      object: podEntry('a').object,
    });
  });

  it('should write nothing for an empty batch', async () => {
    const stream = new PassThrough();
    await stdoutProcessor({ stream }).process(batchOf([]));
    expect(stream.read()).toBeNull();
  });

  it('should wait for drain when the stream is full', async () => {
    let release: (() => void) | undefined;
    const stream = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        release = callback;
      },
    });
    let settled = false;
    const processing = stdoutProcessor({ stream }).process(batchOf([podEntry('a')]));
    const done = (processing as Promise<unknown>).then(() => (settled = true));

    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release?.();
    await done;
    expect(settled).toBe(true);
  });

  it('should reject when the stream closes before draining', async () => {
    const stream = new Writable({ highWaterMark: 1, write: () => undefined });
    const done = stdoutProcessor({ stream }).process(batchOf([podEntry('a')]));
    stream.destroy();
    await expect(done).rejects.toMatchObject({ _tag: 'ProcessorError' });
  });

  it('should reject when the stream is already closed', async () => {
    const stream = new PassThrough();
    stream.end();
    await expect(
      stdoutProcessor({ stream, name: 'out' }).process(batchOf([podEntry('a')])),
    ).rejects.toThrow(/processor out cannot write a batch of 1: its stream is closed/);
  });
});
