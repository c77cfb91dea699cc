/**
 * `npm run cluster:build`: builds the test API server if its sources changed, and prints the
 * binary's path.
 */
import { ApiServerBuildError, ensureApiServerBinary } from '../spec/support/cluster.js';

try {
  console.log(await ensureApiServerBinary());
} catch (err) {
  if (!(err instanceof ApiServerBuildError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
