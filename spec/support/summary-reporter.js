import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes Jest's totals to `.cache/jest-summary.json`, so that `.ci/run` can print its
 * closing line from Jest's own results instead of parsing console output.
 */
export default class SummaryReporter {
  constructor(globalConfig, options = {}) {
    this.file = options.file ?? '.cache/jest-summary.json';
  }

  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites,
    };
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(summary)}\n`);
  }
}
