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

  it('should name every unknown kind, with the closest known ones and where to look', () => {
    const message = messageOf(['Pod', 'Widget', 'Podd', 'deploymnet']);

    expect(message.split('\n')).toEqual([
      'invalid --kinds:',
      expect.stringMatching(
        /^ {2}--kinds: expected a built-in kind, .*docs\/resources\.md.*, found "Widget"$/,
      ),
      expect.stringMatching(/^ {2}--kinds: .*; did you mean Pod\?, found "Podd"$/),
      expect.stringMatching(/^ {2}--kinds: .*; did you mean Deployment\?, found "deploymnet"$/),
      'Fix the names above.',
    ]);
    expect(message.length).toBeLessThan(600);
  });

  it('should say what is wrong in a group/version/resource', () => {
    expect(messageOf(['apps/x1/deployments'])).toMatch(
      /--kinds: expected group\/version\/resource such as apps\/v1\/deployments \(the version "x1" is not an API version.*\), found "apps\/x1\/deployments"/,
    );
  });
});
