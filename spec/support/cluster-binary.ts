/**
 * Builds the project's test API server (the Go program in `spec/apiserver/`) once per source
 * version and caches the binary outside the repository, so fresh clones on the same machine
 * reuse it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The Go module of the test API server. */
export const apiServerSourceDir: string = fileURLToPath(new URL('../apiserver/', import.meta.url));

/** Raised when the test API server cannot be built (no Go, or the build failed). */
export class ApiServerBuildError extends Error {
  override readonly name = 'ApiServerBuildError';
}

const goMissing = [
  'The end-to-end tests need the test API server in spec/apiserver/, which is built from',
  'source with Go 1.26 or newer, and no `go` command was found on PATH.',
  'Install Go 1.26+ (and make sure `go` is on PATH), or point TATTLER_APISERVER_BINARY at a',
  'binary built elsewhere with `npm run cluster:build`.',
].join('\n');

let knownGoVersion: string | undefined;

/**
 * Go's version, asked of `go` once per process: every later start of a server only hashes
 * files. A `go env` running when a Ctrl-C comes would die of it, and fail a start that the
 * signal was meant to stop cleanly.
 */
function goVersion(): string {
  if (knownGoVersion !== undefined) return knownGoVersion;
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new ApiServerBuildError(goMissing);
  }
  knownGoVersion = result.stdout.trim();
  return knownGoVersion;
}

/** A hash of the Go sources, go.mod, go.sum and the Go version: the cache key. */
export function apiServerSourceHash(version = goVersion()): string {
  const hash = createHash('sha256').update(version);
  const files = readdirSync(apiServerSourceDir)
    .filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum')
    .sort();
  for (const file of files) {
    hash.update(`\0${file}\0`).update(readFileSync(join(apiServerSourceDir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Where the binary for the current sources lives (it may not be built yet).
 *
 * Limitation: binaries of older sources stay in the cache until removed by hand.
 */
export function apiServerBinaryPath(hash = apiServerSourceHash()): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'tattler', 'apiserver', hash, 'apiserver');
}

function goBuild(output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', output, '.'], {
      cwd: apiServerSourceDir,
      env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false', CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (err) => reject(new ApiServerBuildError(`${goMissing}\n(${err.message})`)));
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new ApiServerBuildError(`go build in ${apiServerSourceDir} exited with ${code}`)),
    );
  });
}

function lockHolderGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // No pid yet: just taken, or its holder died right after taking it.
    const stat = statSync(lock, { throwIfNoEntry: false });
    return stat !== undefined && Date.now() - stat.mtimeMs > 60_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Takes the build lock of `dir` (a directory, so taking it is atomic), waiting while another
 * live process holds it. Resolves false when the binary exists by then (nothing to build).
 */
async function takeBuildLock(dir: string, binary: string): Promise<boolean> {
  const lock = join(dir, 'build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      if (!existsSync(binary)) return true;
      rmSync(lock, { recursive: true, force: true });
      return false;
    } catch {
      if (existsSync(binary)) return false;
      if (lockHolderGone(lock)) rmSync(lock, { recursive: true, force: true });
      else await delay(2_000);
    }
  }
}

/**
 * Returns the path of the test API server binary, building it first when the sources changed.
 *
 * Resolves once the binary exists. Rejects with {@link ApiServerBuildError} when Go is missing
 * or the build fails. `TATTLER_APISERVER_BINARY` overrides the path and skips the build.
 *
 * @returns the absolute path of the binary
 * @example
 * const binary = await ensureApiServerBinary();
 *
 * Gotchas: the first build downloads the Kubernetes Go modules and compiles them, which takes
 * minutes; later calls only hash a few files.
 */
export async function ensureApiServerBinary(): Promise<string> {
  const override = process.env.TATTLER_APISERVER_BINARY;
  if (override) {
    return override;
  }
  const binary = apiServerBinaryPath();
  if (existsSync(binary)) {
    return binary;
  }
  const dir = join(binary, '..');
  mkdirSync(dir, { recursive: true });
  if (!(await takeBuildLock(dir, binary))) return binary;
  const partial = `${binary}.${process.pid}.partial`;
  process.stderr.write(
    `Building the test API server into ${dir} (the first build takes minutes)\n`,
  );
  const started = Date.now();
  try {
    await goBuild(partial);
    renameSync(partial, binary);
  } finally {
    rmSync(partial, { force: true });
    rmSync(join(dir, 'build.lock'), { recursive: true, force: true });
  }
  process.stderr.write(
    `Built the test API server in ${Math.round((Date.now() - started) / 1000)}s\n`,
  );
  return binary;
}
