import { either as E } from 'fp-ts';
import { TestScheduler } from 'rxjs/testing';
import {
  TattlerError,
  dropManagedFields,
  preprocess,
  type Entry,
  type PreprocessCounters,
  type Transform,
} from '../../lib/index.js';
import { entryOf, runThrough } from '../redaction/fixtures.js';

const a = entryOf({ kind: 'Pod', metadata: { name: 'a', namespace: 'apps' } });
const b = entryOf({ kind: 'Pod', metadata: { name: 'b', namespace: 'kube-system' } });
const c = entryOf({ kind: 'Pod', metadata: { name: 'c', namespace: 'apps' } });

const labelled = (entry: Entry): Entry => ({
  ...entry,
  object: { ...entry.object, metadata: { ...entry.object.metadata, labels: { seen: 'yes' } } },
});
const A = labelled(a);
const C = labelled(c);
const notKubeSystem: Transform = (entry) => (entry.namespace === 'kube-system' ? null : entry);

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('preprocess', () => {
  it('should complete without emitting for an empty source', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Entry>('|');
      const subs = '              (^!)';
      expectObservable(source.pipe(preprocess(labelled))).toBe('|');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should transform one entry', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-|', { a }).pipe(preprocess(labelled))).toBe('-a-|', { a: A });
    });
  });

  it('should run many transforms left to right and filter out what one answers null to', () => {
    const seen: string[] = [];
    const record: Transform = (entry) => {
      seen.push(entry.name);
      return entry;
    };
    const counters: PreprocessCounters = { filtered: 0, dropped: 0 };
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-|', { a, b, c });
      const operator = preprocess([notKubeSystem, labelled, record], { counters });
      expectObservable(source.pipe(operator)).toBe('-a---c-|', { a: A, c: C });
    });
    expect(seen).toEqual(['a', 'c']);
    expect(counters).toEqual({ filtered: 1, dropped: 0 });
  });

  it('should treat undefined as filtered out and unwrap a Right', () => {
    const counters: PreprocessCounters = { filtered: 0, dropped: 0 };
    const either: Transform = (entry) =>
      entry.name === 'a' ? E.right(labelled(entry)) : undefined;
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-|', { a, b });
      expectObservable(source.pipe(preprocess(either, { counters }))).toBe('-a---|', { a: A });
    });
    expect(counters).toEqual({ filtered: 1, dropped: 0 });
  });

  it('should pass a source error through', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', { a }, new Error('watch failed'));
      const subs = '       ^--!';
      const expected = '   -a-#';
      const error = new Error('watch failed');
      expectObservable(source.pipe(preprocess(labelled))).toBe(expected, { a: A }, error);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should keep going on a source that never ends and unsubscribe from it early', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--a--b--c--a--', { a, b, c });
      const unsub = '     ---------!';
      const subs = '      ^--------!';
      const expected = '  --a-----c-';
      const operator = preprocess([notKubeSystem, labelled]);
      expectObservable(source.pipe(operator), unsub).toBe(expected, { a: A, c: C });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should drop an entry whose transform throws, report it and go on', () => {
    const errors: TattlerError[] = [];
    const counters: PreprocessCounters = { filtered: 0, dropped: 0 };
    const thrown = new Error('bad object');
    const failOnB = function failOnB(entry: Entry): Entry {
      if (entry.name === 'b') throw thrown;
      return entry;
    };
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a, b, c });
      const operator = preprocess([failOnB, labelled], {
        onError: (e) => errors.push(e),
        counters,
      });
      expectObservable(source.pipe(operator)).toBe('-a---c-|', { a: A, c: C });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
    expect(counters).toEqual({ filtered: 0, dropped: 1 });
    expect(errors[0]?._tag).toBe('PreprocessError');
    expect(errors[0]?.cause).toBe(thrown);
    expect(errors[0]?.message).toMatch(/transform "failOnB" threw for Pod kube-system\/b/);
    expect(errors[0]?.ref).toEqual({
      kind: 'Pod',
      namespace: 'kube-system',
      name: 'b',
      uid: b.uid,
    });
  });

  it('should report the TattlerError of a Left as it is and wrap any other Left', () => {
    const errors: TattlerError[] = [];
    const own = new TattlerError('PreprocessError', 'no owner label on Pod apps/a');
    const left: Transform = (entry) =>
      entry.name === 'a'
        ? E.left(own)
        : (E.left('plain') as unknown as E.Either<TattlerError, Entry>);
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-c-|', { a, c });
      expectObservable(source.pipe(preprocess(left, { onError: (e) => errors.push(e) }))).toBe(
        '-----|',
      );
    });
    expect(errors[0]).toBe(own);
    expect(errors[1]?._tag).toBe('PreprocessError');
    expect(errors[1]?.message).toMatch(/transform "left" answered a Left/);
    expect(errors[1]?.cause).toBe('plain');
  });

  it('should drop an entry for which a transform answers something that is not an Entry', () => {
    const errors: TattlerError[] = [];
    const wrong = (() => 42) as unknown as Transform;
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-|', { a });
      expectObservable(source.pipe(preprocess(wrong, { onError: (e) => errors.push(e) }))).toBe(
        '---|',
      );
    });
    expect(errors[0]?.message).toMatch(/not an Entry/);
  });

  it('should error the stream with what onError throws and unsubscribe from the source', () => {
    const thrown = new Error('metrics are down');
    const fail: Transform = () => {
      throw new Error('x');
    };
    const onError = () => {
      throw thrown;
    };
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-a-|', { a });
      expectObservable(source.pipe(preprocess(fail, { onError }))).toBe('-#', {}, thrown);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('should throw a ConfigError at construction for something that is not a function', () => {
    expect(() => preprocess([labelled, 'x' as unknown as Transform])).toThrow(
      expect.objectContaining({ _tag: 'ConfigError' }),
    );
  });

  it('should emit the entries as they are when given no transforms', async () => {
    const out = await runThrough(preprocess([]), a, b);
    expect(out[0]).toBe(a);
    expect(out[1]).toBe(b);
  });
});

describe('dropManagedFields', () => {
  it('should remove metadata.managedFields and share everything else', () => {
    const entry = entryOf({
      kind: 'Pod',
      metadata: { name: 'p', labels: { x: 'y' }, managedFields: [{ manager: 'kubectl' }] },
      spec: { containers: [] },
    });
    const out = dropManagedFields(entry) as Entry;
    expect(out.object.metadata).toEqual({ name: 'p', labels: { x: 'y' } });
    expect(out.object.metadata?.labels).toBe(entry.object.metadata?.labels);
    expect((out.object as { spec?: unknown }).spec).toBe((entry.object as { spec?: unknown }).spec);
    expect(entry.object.metadata?.managedFields).toHaveLength(1);
  });

  it('should answer the same entry when there are no managedFields', () => {
    expect(dropManagedFields(a)).toBe(a);
  });
});
