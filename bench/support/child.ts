import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs one benchmark script in a fresh node process, so its memory and JIT state do not
 * leak into the next measurement, and answers the value the script passed to `report`.
 *
 * The child runs TypeScript through tsx, with `--expose-gc`. Its stdout and stderr go to
 * ours. It fails when the child exits without reporting or exceeds `timeoutMs`.
 */
export function runChild<T>(
  script: string,
  args: readonly string[],
  options: { readonly timeoutMs?: number; readonly nodeArgs?: readonly string[] } = {},
): Promise<T> {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const nodeArgs = ['--expose-gc', ...(options.nodeArgs ?? []), '--import', 'tsx', path, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: { value: T } | undefined;
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error(`${script} ${args.join(' ')} took longer than ${options.timeoutMs} ms`));
      },
      options.timeoutMs ?? 15 * 60_000,
    );
    child.on('message', (message) => {
      result = { value: message as T };
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result !== undefined) resolve(result.value);
      else
        reject(
          new Error(`${script} ${args.join(' ')} exited (${signal ?? code}) without a result`),
        );
    });
  });
}

/** Sends this child's result to the parent and exits. */
export function report(value: unknown): void {
  if (process.send === undefined) {
    console.log(JSON.stringify(value, null, 2));
    process.exit(0);
  }
  process.send(value, () => process.exit(0));
}

/** Reads `--name value` from argv, or `fallback`. */
export function argValue(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : process.argv[at + 1];
  return value ?? fallback;
}

/** A child started by {@link startChild}, which talks to its parent in messages. */
export interface ChildSession<T> {
  /** Resolves with the next message of `{ type }` the child sends. */
  next(type: string): Promise<T>;
  send(message: unknown): void;
  /** Resolves when the child has exited. */
  readonly exited: Promise<void>;
}

/**
 * Starts a benchmark script like {@link runChild} but keeps talking to it: the child sends
 * `{ type, ... }` messages with `process.send`, the parent answers with `send`.
 */
export function startChild<T extends { type: string }>(
  script: string,
  args: readonly string[],
): ChildSession<T> {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const received: T[] = [];
  const waiting: { type: string; resolve: (value: T) => void; reject: (e: Error) => void }[] = [];
  let exitedWith: string | undefined;
  const flush = (): void => {
    for (const wait of [...waiting]) {
      const at = received.findIndex((message) => message.type === wait.type);
      if (at !== -1) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve(received.splice(at, 1)[0] as T);
      } else if (exitedWith !== undefined) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.reject(new Error(`${script} exited (${exitedWith}) before sending "${wait.type}"`));
      }
    }
  };
  child.on('message', (message) => {
    received.push(message as T);
    flush();
  });
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exitedWith = String(signal ?? code);
      flush();
      resolve();
    });
  });
  return {
    next: (type) =>
      new Promise<T>((resolve, reject) => {
        waiting.push({ type, resolve, reject });
        flush();
      }),
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    exited,
  };
}
