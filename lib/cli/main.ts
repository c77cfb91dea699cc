#!/usr/bin/env node
import { runCommand } from './command.js';

/** The `tattler` executable: see docs/cli.md. */
process.exitCode = await runCommand(process.argv);
