import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { EntryRecord } from '../../../lib/index.js';

jest.setTimeout(120_000);

/** Runs `scripts/demo.ts --local` (what `npm run demo` runs) to its end. */
function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join('scripts', 'demo.ts'), '--local'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the demo (npm start without a cluster)', () => {
  it('should show creation, update and deletion with env values redacted, then exit 0', async () => {
    const { code, stdout, stderr } = await runDemo();

    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EntryRecord);
    const changes = records.map((record) => `${record.change} ${record.kind} ${record.name}`);
    expect(changes).toEqual(
      expect.arrayContaining([
        'snapshot Pod checkout-0',
        'snapshot Secret db',
        'modified Pod checkout-0',
        'added Pod checkout-1',
        'deleted Pod checkout-0',
        'modified Secret db',
      ]),
    );
    expect(stdout).not.toContain('hunter2');
    expect(stdout).not.toContain('sk_live_');
    expect(stdout).toContain('"value":"REDACTED"');
    expect(stderr).toContain('Stopping the local API server.');
  });
});
