import { nodeVersionProblem } from '../../lib/cli/node-version.js';

describe('nodeVersionProblem', () => {
  it('should refuse a version older than 22.19', () => {
    expect(nodeVersionProblem('v20.19.5')).toBe(
      'tattler needs Node.js 22.19 or newer (found v20.19.5); install a newer Node.js, ' +
        'or run it with `npm run tattler` from the repository.',
    );
    expect(nodeVersionProblem('v22.18.9')).toMatch(/found v22\.18\.9/);
  });

  it('should accept 22.19 and newer', () => {
    expect(nodeVersionProblem('v22.19.0')).toBeUndefined();
    expect(nodeVersionProblem('v23.0.0')).toBeUndefined();
    expect(nodeVersionProblem('v24.1.0')).toBeUndefined();
  });
});
