#!/usr/bin/env node
import { nodeVersionProblem } from './node-version.js';

/**
 * The `tattler` executable: see docs/cli.md. It checks the Node.js version before importing
 * the rest (static imports would load undici first, which crashes on an older Node.js).
 */
const problem = nodeVersionProblem(process.version);
if (problem === undefined) {
  const { runCommand } = await import('./command.js');
  process.exitCode = await runCommand(process.argv);
} else {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
}
