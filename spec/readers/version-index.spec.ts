import fc from 'fast-check';
import { VersionIndex, type Entry } from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';

describe('VersionIndex', () => {
  it('should start empty and sweep nothing', () => {
    const index = new VersionIndex();
    index.beginRelist();
    expect(index.sweep()).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('should call a listed object changed when it is new or has another resourceVersion', () => {
    const index = new VersionIndex();
    expect(index.observe(makeEntry('a', '1', 'snapshot'))).toBe(true);
    expect(index.observe(makeEntry('a', '1', 'snapshot'))).toBe(false);
    expect(index.observe(makeEntry('a', '2', 'snapshot'))).toBe(true);
    expect(index.get('a')?.resourceVersion).toBe('2');
  });

  it('should forget an object on a deleted watch entry', () => {
    const index = new VersionIndex();
    index.apply(makeEntry('a', '1', 'added'));
    index.apply(makeEntry('a', '2', 'deleted'));
    expect(index.get('a')).toBeUndefined();
  });

  it('should sweep the objects a relist did not see, with their name and namespace', () => {
    const index = new VersionIndex();
    index.apply(makeEntry('a', '1', 'added'));
    index.apply(makeEntry('b', '3', 'modified'));
    index.beginRelist();
    index.observe(makeEntry('a', '1', 'snapshot'));
    expect(index.sweep()).toEqual([
      { uid: 'b', resourceVersion: '3', name: 'pod-b', namespace: 'default' },
    ]);
    expect(index.size).toBe(1);
  });

  it('should sweep only what the latest relist missed when a relist restarts', () => {
    const index = new VersionIndex();
    index.apply(makeEntry('a', '1', 'added'));
    index.apply(makeEntry('b', '1', 'added'));
    index.beginRelist();
    index.observe(makeEntry('a', '1', 'snapshot'));
    index.beginRelist(); // the first relist failed half-way
    index.observe(makeEntry('a', '1', 'snapshot'));
    index.observe(makeEntry('b', '1', 'snapshot'));
    expect(index.sweep()).toEqual([]);
  });

  it('should not sweep an object kept in the relist, and keep its version', () => {
    const index = new VersionIndex();
    index.apply(makeEntry('a', '1', 'added'));
    index.apply(makeEntry('b', '1', 'added'));
    index.beginRelist();
    index.keep('a');
    index.keep('unknown');
    expect(index.sweep().map((gone) => gone.uid)).toEqual(['b']);
    expect(index.get('a')?.resourceVersion).toBe('1');
    expect(index.get('unknown')).toBeUndefined();
  });

  it('should turn any known state into any listed state with the changes and deletions it answers', () => {
    const state = fc.dictionary(
      fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      fc.integer({ min: 1, max: 4 }).map(String),
    );
    fc.assert(
      fc.property(state, state, (before, after) => {
        const index = new VersionIndex();
        const view = new Map<string, string>();
        for (const [uid, rv] of Object.entries(before)) {
          index.apply(makeEntry(uid, rv, 'added'));
          view.set(uid, rv);
        }
        index.beginRelist();
        const changed: Entry[] = Object.entries(after)
          .map(([uid, rv]) => makeEntry(uid, rv, 'snapshot'))
          .filter((entry) => index.observe(entry));
        for (const entry of changed) view.set(entry.uid, entry.resourceVersion);
        for (const gone of index.sweep()) view.delete(gone.uid);
        expect(Object.fromEntries(view)).toEqual(after);
        for (const entry of changed) expect(before[entry.uid]).not.toBe(entry.resourceVersion);
      }),
    );
  });
});
