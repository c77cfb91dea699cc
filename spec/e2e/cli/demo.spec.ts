import { jest } from '@jest/globals';
import type { EntryRecord } from '../../../lib/index.js';
import { leftDataDirs, leftServers, runDemo, type DemoProcess } from './run-demo.js';

jest.setTimeout(120_000);

describe('the demo (npm start without a cluster)', () => {
  let demo: DemoProcess | undefined;
  afterEach(async () => {
    await demo?.cleanUp();
    demo = undefined;
  });

  it('should show creation, update and deletion with env values redacted, then exit 0', async () => {
    demo = runDemo();
    const { code } = await demo.exited;
    const stdout = demo.stdoutLines();
    const stderr = demo.stderr();

    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const records = stdout.map((line) => JSON.parse(line) as EntryRecord);
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
    const text = stdout.join('\n');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sk_live_');
    expect(text).toContain('"value":"REDACTED"');
    // Read as metadata only: the Secret's data never left the API server.
    const secrets = records.filter((record) => record.kind === 'Secret');
    expect(secrets.map((record) => Object.keys(record.object as object).sort())).toEqual(
      secrets.map(() => ['apiVersion', 'kind', 'metadata']),
    );
    expect(stderr).toMatch(/reads Secrets as metadata\s+only/);
    expect(stderr).toContain('Stopping the local API server and removing its data dir.');
    // Standard error is a pipe here: narration without terminal escapes.
    expect(stderr).toMatch(/^>> Stopping the local API server/m);
    expect(leftDataDirs(demo)).toEqual([]);
  });

  // A Ctrl-C in a terminal reaches the whole foreground process group, and npm relays a copy
  // to its child milliseconds later: each case signals the group, then, once the demo has
  // taken that signal, sends the copy (sent at once, the two would merge into one).
  describe.each(['SIGINT', 'SIGTERM'] as const)('on %s', (signal) => {
    const stopWith = async (running: DemoProcess): Promise<void> => {
      running.signalGroup(signal);
      await running.waitForStderr(new RegExp(`${signal}: stopping`));
      running.child.kill(signal);
    };

    it('should stop at its first line, exit 0 and leave nothing behind', async () => {
      demo = runDemo();
      await demo.waitForStderr(/Demo on the local API server/);
      await stopWith(demo);

      expect(await demo.exited).toEqual({ code: 0, signal: null });
      expect(demo.stderr()).toContain(`${signal}: stopping`);
      expect(leftServers(demo)).toEqual([]);
      expect(leftDataDirs(demo)).toEqual([]);
    });

    it('should stop the API server it is starting, exit 0 and remove its data dir', async () => {
      demo = runDemo();
      await demo.waitForStderr(/Starting the local API server\./);
      await stopWith(demo);

      expect(await demo.exited).toEqual({ code: 0, signal: null });
      expect(demo.stderr()).toMatch(
        new RegExp(`${signal}: stopping[\\s\\S]*Stopping the local API server and removing`),
      );
      expect(leftServers(demo)).toEqual([]);
      expect(leftDataDirs(demo)).toEqual([]);
    });

    it('should stop tattler, then the API server, once entries flow, and exit 0', async () => {
      demo = runDemo();
      await demo.waitForStdoutLines(1);
      await stopWith(demo);

      expect(await demo.exited).toEqual({ code: 0, signal: null });
      expect(demo.stderr()).toMatch(
        new RegExp(
          `${signal}: stopping[\\s\\S]*Stopping tattler[\\s\\S]*` +
            'Stopping the local API server and removing its data dir',
        ),
      );
      expect(leftServers(demo)).toEqual([]);
      expect(leftDataDirs(demo)).toEqual([]);
    });
  });

  it('should stop cleanly on a Ctrl-C under npm, which relays its own copy', async () => {
    demo = runDemo({ npm: true });
    await demo.waitForStdoutLines(1);
    demo.signalGroup('SIGINT');

    // Once its script has exited, npm ends itself with the SIGINT it received (a shell shows
    // 130), whatever the demo's own code: what tells the two apart is what the demo did.
    expect(await demo.exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(demo.stderr()).toContain('Stopping the local API server and removing its data dir.');
    expect(leftServers(demo)).toEqual([]);
    expect(leftDataDirs(demo)).toEqual([]);
  });

  it('should exit 130 at once on a second signal during start-up, killing the server', async () => {
    demo = runDemo();
    await demo.waitForStderr(/Starting the local API server\./);
    demo.signalGroup('SIGINT');
    await demo.waitForStderr(/SIGINT: stopping/);
    demo.signalGroup('SIGTERM');

    expect(await demo.exited).toEqual({ code: 130, signal: null });
    expect(demo.stderr()).toContain('Second signal: exiting at once');
    expect(leftServers(demo)).toEqual([]);
    expect(leftDataDirs(demo)).toEqual([]);
  });

  // `npm start 2>&1 | head -6`: the reader of both streams goes away during start-up.
  it('should stop and exit 0 when standard output and error close, leaving nothing', async () => {
    demo = runDemo();
    await demo.waitForStderr(/Demo on the local API server/);
    demo.child.stdout!.destroy();
    demo.child.stderr!.destroy();

    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(leftServers(demo)).toEqual([]);
    expect(leftDataDirs(demo)).toEqual([]);
  });

  // `npm start | head -3`: the reader of the NDJSON goes away once entries flow.
  it('should stop tattler and the API server and exit 0 when standard output closes', async () => {
    demo = runDemo();
    await demo.waitForStdoutLines(1);
    demo.child.stdout!.destroy();

    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(demo.stderr()).toMatch(
      /standard output closed: stopping[\s\S]*Stopping tattler[\s\S]*Stopping the local API server/,
    );
    expect(leftServers(demo)).toEqual([]);
    expect(leftDataDirs(demo)).toEqual([]);
  });
});
