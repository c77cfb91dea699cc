import { either as E } from 'fp-ts';
import { checkKindsFlag } from '../../lib/cli/check-kinds.js';

const messageOf = (names: string[]): string => {
  const result = checkKindsFlag(names);
  return E.isLeft(result) ? result.left.message : 'no error';
};

describe('checkKindsFlag', () => {
  it('should accept kinds, plurals, short names and group/version/resource', () => {
    expect(messageOf(['Pod', 'deployments', 'no', 'example.com/v1/widgets'])).toBe('no error');
  });

  it('should leave bare names outside the catalogue to the API server', () => {
    expect(messageOf(['ServiceAccount', 'Widget', 'wd', 'Podd'])).toBe('no error');
  });

  it('should name every name that cannot be a kind, with the closest known ones', () => {
    const message = messageOf(['Pod', 'Pod s', 'deploymnet,', 'no such thing at all']);

    expect(message.split('\n')).toEqual([
      'invalid --kinds:',
      expect.stringMatching(/^ {2}--kinds: .*; did you mean Pod\?, found "Pod s"$/),
      expect.stringMatching(/^ {2}--kinds: .*; did you mean Deployment\?, found "deploymnet,"$/),
      expect.stringMatching(
        /^ {2}--kinds: expected a kind, .*docs\/resources\.md.*, found "no such thing at all"$/,
      ),
      'Fix the names above.',
    ]);
    expect(message.length).toBeLessThan(700);
  });

  it('should say what is wrong in a group/version/resource', () => {
    expect(messageOf(['apps/x1/deployments'])).toMatch(
      /--kinds: expected group\/version\/resource such as apps\/v1\/deployments \(the version "x1" is not an API version.*\), found "apps\/x1\/deployments"/,
    );
  });
});
