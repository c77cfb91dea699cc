import type { BookmarkStore } from './bookmark-store.js';

/**
 * A {@link BookmarkStore} that keeps bookmarks in a Map: for tests, and for programs that do
 * not need to resume after a restart.
 *
 * Never rejects. `entries()` shows what is stored.
 *
 * @param initial - Bookmarks to start with, by key.
 * @returns The store.
 * @example
 * ```ts
 * import { inMemoryBookmarkStore } from 'tattler';
 *
 * const store = inMemoryBookmarkStore({ pods: '12345' });
 * await store.load('pods'); // '12345'
 * ```
 */
export function inMemoryBookmarkStore(
  initial: Readonly<Record<string, string>> = {},
): BookmarkStore & { entries(): Record<string, string> } {
  const bookmarks = new Map(Object.entries(initial));
  return {
    load: async (key) => bookmarks.get(key),
    save: async (key, resourceVersion) => {
      bookmarks.set(key, resourceVersion);
    },
    entries: () => Object.fromEntries(bookmarks),
  };
}
