/** The oldest Node.js the command runs on (undici, which it uses, needs 22.19). */
export const MIN_NODE_VERSION: readonly [number, number, number] = [22, 19, 0];

/**
 * Checks a Node.js version against {@link MIN_NODE_VERSION}.
 *
 * Imports nothing, so the executable can call it before it loads any module that would crash
 * on an older Node.js.
 *
 * @param version - such as `process.version` (`v22.19.0`).
 * @returns the one-line message to print when the version is too old, or `undefined`.
 *
 * Gotchas: an unparsable version passes, so that a pre-release build is not refused.
 */
export function nodeVersionProblem(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (match === null) return undefined;
  const found = [Number(match[1]), Number(match[2]), Number(match[3])];
  for (let index = 0; index < 3; index += 1) {
    const have = found[index] ?? 0;
    const need = MIN_NODE_VERSION[index] ?? 0;
    if (have > need) return undefined;
    if (have < need) {
      return (
        `tattler needs Node.js ${MIN_NODE_VERSION[0]}.${MIN_NODE_VERSION[1]} or newer (found ${version}); ` +
        'install a newer Node.js, or run it with `npm run tattler` from the repository.'
      );
    }
  }
  return undefined;
}
