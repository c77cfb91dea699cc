import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TattlerError } from '../entry/tattler-error.js';
import { silentLogger, type Logger } from '../logger.js';
import type { BookmarkStore } from './bookmark-store.js';
import { coalescingWriter } from './bookmark-store-writer.js';

/** Options of {@link fileBookmarkStore}. */
export interface FileBookmarkStoreOptions {
  /** Told when the file is corrupt and set aside; silent by default. */
  readonly logger?: Logger;
}

const FORMAT_VERSION = 1;

/**
 * A {@link BookmarkStore} that keeps every bookmark in one JSON file.
 *
 * The file is read once, on the first `load` or `save`. Each write replaces the whole file
 * atomically (a temporary file in the same directory, flushed to disk, then renamed over
 * it), so a crash leaves either the old or the new file, never half of one. Saves that
 * arrive while a write runs are merged into the next write. A missing file means no
 * bookmarks yet; a corrupt one is renamed to `<path>.corrupt`, reported as a warning on the
 * logger, and the store starts empty. `load` rejects with a `ConfigError` only when the file
 * exists but cannot be read (permissions, a directory); `save` rejects with a `ConfigError`
 * when the file cannot be written.
 *
 * @param path - The file; its directory is created when missing.
 * @param options - A logger for corrupt-file warnings.
 * @returns The store.
 * @example
 * ```ts
 * import { fileBookmarkStore, throttleBookmarkStore } from 'tattler';
 *
 * const store = throttleBookmarkStore(fileBookmarkStore('/var/lib/tattler/bookmarks.json'));
 * ```
 *
 * Gotchas: one process per file. Two processes writing the same file each keep their own
 * copy in memory and overwrite each other's bookmarks.
 */
export function fileBookmarkStore(
  path: string,
  options: FileBookmarkStoreOptions = {},
): BookmarkStore {
  const logger = options.logger ?? silentLogger;
  let contents: Promise<Map<string, string>> | undefined;

  const bookmarks = (): Promise<Map<string, string>> => {
    contents ??= readBookmarks(path, logger).catch((error: unknown) => {
      contents = undefined;
      throw error;
    });
    return contents;
  };

  const writer = coalescingWriter(async (entries) => {
    const current = await bookmarks();
    for (const [key, value] of entries) current.set(key, value);
    await writeAtomically(path, serialise(current));
  });

  return {
    async load(key) {
      const current = await bookmarks();
      return writer.pending(key) ?? current.get(key);
    },
    save: (key, resourceVersion) => writer.save(key, resourceVersion),
  };
}

// Limitation: only the file itself is renamed atomically; the directory is not fsynced, so
// after a power loss (not a process crash) the last rename may be lost and the previous
// bookmarks read back, which costs a longer replay, not wrong data.
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (cause) {
    await unlink(temporary).catch(() => undefined);
    throw new TattlerError(
      'ConfigError',
      `cannot write the bookmark file ${path}: ${messageOf(cause)}. Check that its directory ` +
        'is writable by this process',
      { cause },
    );
  }
}

async function readBookmarks(path: string, logger: Logger): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (isErrorCode(cause, 'ENOENT')) return new Map();
    throw new TattlerError(
      'ConfigError',
      `cannot read the bookmark file ${path}: ${messageOf(cause)}. Check the path and its ` +
        'permissions',
      { cause },
    );
  }
  const parsed = parse(text);
  if (parsed !== undefined) return parsed;
  const movedTo = `${path}.corrupt`;
  const moved = await rename(path, movedTo).then(
    () => true,
    () => false,
  );
  logger.warn(
    { path, movedTo: moved ? movedTo : undefined },
    'bookmark file is corrupt; starting without bookmarks, so every watch lists again',
  );
  return new Map();
}

function parse(text: string): Map<string, string> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(data) || data['version'] !== FORMAT_VERSION) return undefined;
  const bookmarks = data['bookmarks'];
  if (!isRecord(bookmarks)) return undefined;
  const entries = Object.entries(bookmarks);
  if (!entries.every(([, value]) => typeof value === 'string')) return undefined;
  return new Map(entries as [string, string][]);
}

function serialise(bookmarks: ReadonlyMap<string, string>): string {
  const sorted = [...bookmarks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = { version: FORMAT_VERSION, bookmarks: Object.fromEntries(sorted) };
  return `${JSON.stringify(data, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrorCode(error: unknown, code: string): boolean {
  return isRecord(error) && error['code'] === code;
}

function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? Reflect.get(error, 'message') : '';
  return typeof message === 'string' && message !== '' ? message : String(error);
}
