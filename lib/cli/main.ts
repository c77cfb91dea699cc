#!/usr/bin/env node
import { nodeVersionProblem } from './node-version.js';

/**
 * The `tattler` executable: see docs/cli.md. It checks the Node.js version before importing
 * the rest (static imports would load undici first, which crashes on an older Node.js).
 */
const problem = nodeVersionProblem(process.version);
if (problem === undefined) {
  const { runCommand } = await import('./command.js');
  const code = await runCommand(process.argv);
  process.exitCode = code;
  // The command is done. A signal now (a forwarded copy of the one that stopped it) would,
  // with no listener left, kill the process and turn its exit code into 130: exit with it.
  const exitNow = (): void => process.exit(code);
  process.on('SIGTERM', exitNow);
  process.on('SIGINT', exitNow);
} else {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
