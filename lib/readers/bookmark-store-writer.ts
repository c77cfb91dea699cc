/**
 * Serialises and coalesces the writes of a bookmark store: one write at a time, and every
 * save that arrives while a write runs joins the next write instead of starting its own.
 *
 * Internal to the shipped stores; not exported from the package.
 */
export interface CoalescingWriter {
  /** Queues an entry; resolves when a write that includes it succeeds, rejects if it fails. */
  save(key: string, resourceVersion: string): Promise<void>;
  /** The value queued for `key` and not yet written, if any. */
  pending(key: string): string | undefined;
}

/**
 * @param write - Stores a batch of entries durably; called once at a time.
 * @returns The writer.
 */
export function coalescingWriter(
  write: (entries: ReadonlyMap<string, string>) => Promise<void>,
): CoalescingWriter {
  let queued = new Map<string, string>();
  let next: Promise<void> | undefined;
  let tail: Promise<void> = Promise.resolve();

  const run = async (): Promise<void> => {
    const batch = queued;
    queued = new Map();
    next = undefined;
    await write(batch);
  };

  return {
    save(key, resourceVersion) {
      queued.set(key, resourceVersion);
      if (next === undefined) {
        next = tail.then(run, run);
        tail = next;
      }
      return next;
    },
    pending: (key) => queued.get(key),
  };
}
