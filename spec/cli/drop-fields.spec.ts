import { dropFields } from '../../lib/cli/drop-fields.js';
import type { Entry } from '../../lib/index.js';
import { podEntry } from '../processors/fixtures.js';

const withMetadata = (metadata: Record<string, unknown>): Entry => {
  const entry = podEntry('a');
  return {
    ...entry,
    object: { ...entry.object, metadata: { ...entry.object.metadata, ...metadata } },
  };
};

describe('dropFields', () => {
  it('should remove a dotted path and a path given as segments, without mutating', () => {
    const entry = withMetadata({
      managedFields: [{ manager: 'kubectl' }],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'yes' },
    });
    const before = JSON.stringify(entry);
    const result = dropFields([
      'metadata.managedFields',
      ['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration'],
    ])(entry) as Entry;

    expect(result.object.metadata?.managedFields).toBeUndefined();
    expect(result.object.metadata?.annotations).toEqual({ keep: 'yes' });
    expect(JSON.stringify(entry)).toBe(before);
  });

  it('should answer the same entry when no field is present', () => {
    const entry = podEntry('a');
    expect(dropFields(['metadata.managedFields', 'spec.x.y'])(entry)).toBe(entry);
  });
});
