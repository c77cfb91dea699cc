/**
 * Runs the real `tattler` command (lib/cli/main.ts through tsx) as a child process and
 * collects its NDJSON standard output and JSON log lines, with waits on what they hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import type { EntryRecord } from '../../../lib/index.js';

const MAIN = join(process.cwd(), 'lib', 'cli', 'main.ts');

export interface LogLine {
  readonly level: number;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

export interface TattlerProcess {
  readonly child: ChildProcess;
  readonly records: EntryRecord[];
  readonly logs: LogLine[];
  /** Everything written to standard error that is not a JSON log line. */
  readonly stderrText: () => string;
  /** Resolves once `predicate` holds for the records; rejects when the process exits first. */
  waitForRecords(predicate: (records: readonly EntryRecord[]) => boolean): Promise<void>;
  /** Resolves once `predicate` holds for a log line; rejects when the process exits first. */
  waitForLog(predicate: (line: LogLine) => boolean): Promise<LogLine>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Sends SIGTERM if still running and waits for the exit. */
  stop(): Promise<number | null>;
}

const configDirs = new Set<string>();

/**
 * Writes a config object as YAML to a fresh temporary file and answers its path; call
 * {@link removeConfigs} once the file's tests are done.
 */
export function writeConfig(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'tattler-cli-'));
  configDirs.add(dir);
  const path = join(dir, 'tattler.yaml');
  writeFileSync(path, stringify(config));
  return path;
}

/** Removes every config file {@link writeConfig} wrote. */
export function removeConfigs(): void {
  for (const dir of configDirs) rmSync(dir, { recursive: true, force: true });
  configDirs.clear();
}

/**
 * Starts the command with `args`. `options.stdout` sends its standard output to a file
 * descriptor instead of collecting it (`records` then stays empty).
 */
export function runTattler(
  args: readonly string[],
  options: { readonly stdout?: number } = {},
): TattlerProcess {
  // The Node running the tests (the project's Node 24), with tsx's loader for the sources.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    env: { ...process.env, HOME: tmpdir(), KUBECONFIG: '' },
  });
  const records: EntryRecord[] = [];
  const logs: LogLine[] = [];
  let stderrText = '';
  const checks = new Set<() => void>();
  const recheck = (): void => checks.forEach((check) => check());

  if (child.stdout !== null) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      records.push(JSON.parse(line) as EntryRecord);
      recheck();
    });
  }
  createInterface({ input: child.stderr! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      stderrText += `${line}\n`;
    }
    recheck();
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      exitCode = code;
      recheck();
      resolve(code);
    }),
  );

  const waitFor = <T>(test: () => T | undefined, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const found = test();
        if (found !== undefined) {
          checks.delete(check);
          resolve(found);
        } else if (exitCode !== undefined) {
          checks.delete(check);
          reject(
            new Error(
              `tattler exited (${exitCode}) before ${what}:\n${stderrText}${JSON.stringify(logs.slice(-10), null, 1)}`,
            ),
          );
        }
      };
      checks.add(check);
      check();
    });

  return {
    child,
    records,
    logs,
    stderrText: () => stderrText,
    exited,
    waitForRecords: (predicate) =>
      waitFor(() => (predicate(records) ? true : undefined), 'the expected records').then(
        () => undefined,
      ),
    waitForLog: (predicate) => waitFor(() => logs.find(predicate), 'the expected log line'),
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
  };
}
