import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { Batch } from '../entry/batch.js';
import { TattlerError } from '../entry/tattler-error.js';
import { toNdjson } from './ndjson.js';
import type { Processor } from './processor.js';

/** Options of {@link fileProcessor}. */
export interface FileProcessorOptions {
  /** The file to append to; created if missing, with its directory expected to exist. */
  readonly path: string;
  /** The processor's name in logs and metrics; defaults to `file`. */
  readonly name?: string;
  /** Rotate before a write would make the file larger than this; defaults to 100 MiB. */
  readonly maxBytes?: number;
  /**
   * How many rotated files to keep (`<path>.1` is the newest); defaults to 5. With 0 the file
   * is truncated instead of rotated.
   */
  readonly maxFiles?: number;
}

const MiB = 1024 * 1024;

/**
 * A processor that appends every entry as one NDJSON line to a file, rotated by size.
 *
 * Before writing a batch, it checks whether the batch would push the file past `maxBytes`; if
 * so it renames `<path>` to `<path>.1` (shifting `<path>.1` to `<path>.2` and so on, deleting
 * the oldest beyond `maxFiles`) and starts a new file. `process` settles once the batch has
 * been handed to the operating system; it rejects when the file cannot be opened or written.
 *
 * Rotation is a size check and a rename done here rather than a rotating-stream library: the
 * processor must know when a batch is on disk to settle its Promise, and a batch must never
 * be split across two files, which stream-level rotation does not promise.
 *
 * @param options - see {@link FileProcessorOptions}.
 * @returns the processor; call `close()` to close the file.
 * @example
 * ```ts
 * import { fileProcessor } from 'tattler';
 *
 * const processor = fileProcessor({ path: '/var/log/tattler.ndjson', maxBytes: 10 * 1024 ** 2 });
 * ```
 *
 * Throws a `TattlerError` (`ConfigError`) when `maxBytes` is not a positive integer or
 * `maxFiles` not an integer of at least 0.
 *
 * Gotchas: a single batch larger than `maxBytes` is written whole to a fresh file, so a file
 * can exceed `maxBytes` by up to one batch. Only one process may write to a path at a time.
 */
export function fileProcessor(options: FileProcessorOptions): Processor {
  const { path } = options;
  const maxBytes = options.maxBytes ?? 100 * MiB;
  const maxFiles = options.maxFiles ?? 5;
  checkLimits(maxBytes, maxFiles);
  let handle: FileHandle | undefined;
  let size = 0;

  const openFile = async (): Promise<FileHandle> => {
    if (handle === undefined) {
      handle = await open(path, 'a');
      size = (await handle.stat()).size;
    }
    return handle;
  };

  const rotate = async (): Promise<void> => {
    await handle?.close();
    handle = undefined;
    if (maxFiles === 0) {
      await rm(path, { force: true });
      return;
    }
    await rm(`${path}.${maxFiles}`, { force: true });
    for (let index = maxFiles - 1; index >= 1; index -= 1) {
      await renameIfPresent(`${path}.${index}`, `${path}.${index + 1}`);
    }
    await renameIfPresent(path, `${path}.1`);
  };

  return {
    name: options.name ?? 'file',
    async process(batch: Batch): Promise<void> {
      if (batch.size === 0) return;
      const bytes = Buffer.from(toNdjson(batch.entries));
      await openFile();
      if (size > 0 && size + bytes.length > maxBytes) await rotate();
      const file = await openFile();
      await file.appendFile(bytes);
      size += bytes.length;
    },
    async close(): Promise<void> {
      await handle?.close();
      handle = undefined;
    },
  };
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function checkLimits(maxBytes: number, maxFiles: number): void {
  if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) {
    throw new TattlerError(
      'ConfigError',
      `fileProcessor: maxBytes must be a whole number of bytes greater than 0 ` +
        `(got ${String(maxBytes)}); pass for example { maxBytes: 100 * 1024 * 1024 }.`,
    );
  }
  if (!(Number.isSafeInteger(maxFiles) && maxFiles >= 0)) {
    throw new TattlerError(
      'ConfigError',
      `fileProcessor: maxFiles must be a whole number of at least 0 (got ${String(maxFiles)}); ` +
        'pass for example { maxFiles: 5 }, or 0 to truncate instead of rotating.',
    );
  }
}
