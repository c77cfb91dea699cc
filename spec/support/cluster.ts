/**
 * The project's real Kubernetes API server for tests, the demo and benchmarks: etcd and
 * kube-apiserver in one Go process (`spec/apiserver/`), started on loopback with an `admin`
 * and a `restricted` user. No kubelet, scheduler or controllers run: Pods stay Pending and
 * deleted namespaces stay Terminating.
 *
 * Usable from Jest tests and from plain scripts (no Jest globals here).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureApiServerBinary } from './cluster-binary.js';
import { compactCluster, type TestClusterInfo } from './cluster-info.js';
import { spawnServer, stopServer, type TestClusterOptions } from './cluster-process.js';

export { ensureApiServerBinary, ApiServerBuildError } from './cluster-binary.js';
export {
  compactCluster,
  readClusterInfo,
  sharedCluster,
  sharedClusterEnv,
  type TestClusterInfo,
  type TestUser,
} from './cluster-info.js';
export type { TestClusterOptions } from './cluster-process.js';
export { createTestNamespace, kubeConfigFor } from './cluster-kubeconfig.js';

/** A test API server this process started and controls. */
export interface TestCluster extends TestClusterInfo {
  /** Compacts etcd to its current revision now (see {@link compactCluster}). */
  compact(): Promise<void>;
  /** Stops the server; removes its data dir when it was a temporary one made by the start. */
  stop(): Promise<void>;
  /**
   * Stops the server and starts it again over the same data dir, on the same port, with the
   * same CA and tokens, so existing clients and kubeconfigs reconnect. The info fields
   * (`controlUrl`, `pid`, ...) are updated.
   */
  restart(): Promise<void>;
}

// Fields are read through getters because a restart replaces the info.
class ManagedCluster implements TestCluster {
  constructor(
    private child: ChildProcess,
    private info: TestClusterInfo,
    private readonly binary: string,
    private readonly options: TestClusterOptions & { readonly removeDataDir: boolean },
  ) {}

  get server(): string {
    return this.info.server;
  }
  get port(): number {
    return this.info.port;
  }
  get kubeconfigs(): TestClusterInfo['kubeconfigs'] {
    return this.info.kubeconfigs;
  }
  get tokens(): TestClusterInfo['tokens'] {
    return this.info.tokens;
  }
  get caFile(): string {
    return this.info.caFile;
  }
  get dataDir(): string {
    return this.info.dataDir;
  }
  get controlUrl(): string {
    return this.info.controlUrl;
  }
  get etcdUrl(): string {
    return this.info.etcdUrl;
  }
  get watchCache(): boolean {
    return this.info.watchCache;
  }
  get pid(): number {
    return this.info.pid;
  }
  get startupMs(): number {
    return this.info.startupMs;
  }

  /** The current info as plain data, e.g. to write to a file. */
  toJSON(): TestClusterInfo {
    return this.info;
  }

  async compact(): Promise<void> {
    await compactCluster(this.info);
  }

  async stop(): Promise<void> {
    await stopServer(this.child);
    if (this.options.removeDataDir) rmSync(this.info.dataDir, { recursive: true, force: true });
  }

  async restart(): Promise<void> {
    // Limitation: the server waits up to 10 s for its old port; if another process takes it
    // between the stop and the start, the restart fails.
    await stopServer(this.child);
    const options = { ...this.options, port: this.info.port };
    const started = await spawnServer(this.binary, this.info.dataDir, options);
    this.child = started.child;
    this.info = started.info;
  }
}

/**
 * Starts a test API server (building the binary first if needed) and resolves once it serves
 * requests, with its RBAC roles and kubeconfigs in place.
 *
 * Rejects when the build fails, Go is missing, or the server does not become ready within
 * `startTimeoutMs` (the error holds the tail of its log). The server stops by itself if this
 * process exits, but call `stop()` when done.
 *
 * @param options where and how to run it; all optional
 * @returns the running cluster
 * @example
 * const cluster = await startTestCluster({ watchCache: false });
 * const kc = kubeConfigFor(cluster, 'admin');
 * await cluster.stop();
 *
 * Gotchas: with the watch cache on (the default), `410 Gone` after a compaction comes from the
 * cache's own window, not from etcd; start with `watchCache: false` to see etcd's.
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const binary = await ensureApiServerBinary();
  const removeDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tattler-apiserver-'));
  const started = await spawnServer(binary, dataDir, options);
  return new ManagedCluster(started.child, started.info, binary, { ...options, removeDataDir });
}
