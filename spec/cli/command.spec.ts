import { jest } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../lib/cli/command.js';

// The command imports the Kubernetes client on start, which takes a few seconds here.
jest.setTimeout(30_000);

/** A kubeconfig whose cluster is a port nothing listens on. */
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: c
    cluster: { server: 'https://127.0.0.1:1' }
users:
  - name: u
    user: { token: t }
contexts:
  - name: c
    context: { cluster: c, user: u }
current-context: c
`;

/** Resolves once no listener for `signal` is left (rejects by the test's timeout if never). */
function signalHandlersRemoved(signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (process.listenerCount(signal) > 0) return;
      process.off('removeListener', check);
      resolve();
    };
    process.on('removeListener', check);
    check();
  });
}

describe('runCommand', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tattler-command-'));
    await writeFile(join(dir, 'kubeconfig'), KUBECONFIG);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should exit 0 on a SIGTERM that comes during start-up', async () => {
    const argv = ['node', 'tattler', '--kubeconfig', join(dir, 'kubeconfig'), '--log-level'];
    const code = runCommand([...argv, 'silent', '--kinds', 'Pod']);
    // What a signal does in a process: run the listeners, if any; with none it kills it.
    expect(process.listenerCount('SIGTERM')).toBeGreaterThan(0);
    process.emit('SIGTERM', 'SIGTERM');

    expect(await code).toBe(0);
    // The handlers stay a moment longer, for a forwarded copy of the signal.
    await signalHandlersRemoved('SIGTERM');
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('should print a fatal start-up error as one plain line, whatever the log level', async () => {
    const written: string[] = [];
    const write = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      const missing = join(dir, 'missing');
      const code = await runCommand([
        'node',
        'tattler',
        '--kubeconfig',
        missing,
        '--log-level',
        'silent',
      ]);

      expect(code).toBe(1);
      expect(written.join('')).toMatch(
        /^tattler: cannot load the cluster access \(kubeconfig .*missing\)/,
      );
    } finally {
      write.mockRestore();
    }
  });
});
