import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { loadConfig, parseConfig } from '../config/load-config.js';
import type { TattlerConfig } from '../config/schema.js';
import { TattlerError } from '../entry/tattler-error.js';
import type { Logger } from '../logger.js';
import { applyFlags } from './apply-flags.js';
import { checkKindsFlag } from './check-kinds.js';
import { createProgram, type CliFlags } from './flags.js';
import { createCliLogger } from './logging.js';
import { CliMetrics } from './metrics.js';
import { describeBindFailure, startMetricsServer, type MetricsServer } from './metrics-server.js';
import type { RunningTattler } from './run.js';
import { onShutdownSignal, ShutdownRequest } from './signals.js';
import { StatusLine } from './status-line.js';

/**
 * Runs the `tattler` command with the given arguments until a signal stops it or every
 * reader has failed.
 *
 * @param argv - `process.argv`, or the same shape (two leading entries, then the flags).
 * @returns the exit code: 0 after a clean stop on SIGTERM or SIGINT, 1 for an invalid config,
 *   an unreachable cluster or every kind failing.
 */
export async function runCommand(argv: readonly string[]): Promise<number> {
  const flags = createProgram(packageVersion())
    .parse([...argv])
    .opts<CliFlags>();
  // Installed before anything slow (the config, the client's import, the metrics port), so
  // that a signal during start-up stops cleanly with 0 instead of killing the process (143).
  const shutdown = new ShutdownRequest();
  const removeSignals = onShutdownSignal(
    (signal) => shutdown.request(signal),
    () => shutdown.abandon(),
  );
  try {
    return await startAndRun(flags, shutdown);
  } finally {
    removeSignals();
  }
}

async function startAndRun(flags: CliFlags, shutdown: ShutdownRequest): Promise<number> {
  const loaded = await loadConfigFor(flags);
  if (E.isLeft(loaded)) return fail(loaded.left);
  const config = loaded.right;

  const statusLine = new StatusLine();
  const logger = createCliLogger({ level: config.logLevel, statusLine });
  // Imported only now: the Kubernetes client takes seconds to load, and --help, --version
  // and config errors should answer at once.
  const { describeAccess, detectClusterAccess, loadKubeConfig } =
    await import('./cluster-access.js');
  const { runTattler } = await import('./run.js');
  if (shutdown.requested !== undefined) return stoppedEarly(logger, shutdown.requested);
  const access = detectClusterAccess(config.cluster);
  const kubeConfig = loadKubeConfig(access, config.cluster.context);
  if (E.isLeft(kubeConfig)) {
    return fatal(kubeConfig.left.message, { tag: kubeConfig.left._tag }, logger, statusLine);
  }
  logger.info(
    { access: describeAccess(access), context: kubeConfig.right.getCurrentContext() },
    'connecting',
  );
  const resolved = await kindsOnServer(config, kubeConfig.right, {
    flags,
    shutdown,
    logger,
    statusLine,
  });
  if (typeof resolved === 'number') return resolved;

  const metrics = new CliMetrics();
  let running: RunningTattler;
  try {
    running = runTattler({
      config: resolved,
      kubeConfig: kubeConfig.right,
      logger,
      metrics,
      statusLine,
    });
  } catch (error) {
    if (!(error instanceof TattlerError)) throw error;
    return fatal(error.message, { tag: error._tag }, logger, statusLine);
  }
  // The pipeline logs the one `tattler: stopping` line, with the reason and the deadline.
  shutdown.onRequest((reason) => void running.stop(config.shutdown.timeout, reason));
  shutdown.onAbandon(() => {
    const processors = Object.values(running.handle.stats().processors);
    const pending = processors.reduce((sum, processor) => sum + processor.pending, 0);
    const busy = processors.filter((processor) => processor.state !== 'closed').length;
    logger.warn(
      { pending, busy },
      `second signal: exiting at once; ${pending} batch(es) waiting or in flight and ` +
        `${busy} processor(s) not yet closed are abandoned`,
    );
  });
  let server: MetricsServer | undefined;
  try {
    server = await serveMetrics(config, metrics, running, logger);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    await running.stop(config.shutdown.timeout);
    return fatal(
      describeBindFailure(error, { host: config.metrics.host, port: config.metrics.port ?? 0 }),
      { host: config.metrics.host, port: config.metrics.port, code },
      logger,
      statusLine,
    );
  }
  // `tattler | head` closes the pipe (EPIPE): stop cleanly. Any other write error (a full
  // disk) loses entries: stop, and say so with a non-zero exit.
  let outputFailure: string | undefined;
  const onStdoutError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') {
      shutdown.request('standard output closed');
      return;
    }
    outputFailure ??= `cannot write to standard output (${error.code ?? error.message}); entries were lost. Free the space or fix the destination of standard output.`;
    shutdown.request('standard output failed');
  };
  process.stdout.on('error', onStdoutError);
  const outcome = await running.done;
  process.stdout.off('error', onStdoutError);
  await server?.close();
  logger.info({ outcome }, 'stopped');
  if (outputFailure !== undefined) {
    return fatal(outputFailure, { reason: 'standard output failed' }, logger, statusLine);
  }
  return outcome === 'stopped' ? 0 : 1;
}

/**
 * Looks up on the API server the kinds only it knows (`ServiceAccount`, a custom resource's
 * `wd`) before anything starts, a signal meanwhile giving the lookup up; answers the config
 * to run, or the exit code when the command cannot start.
 */
async function kindsOnServer(
  config: TattlerConfig,
  kubeConfig: KubeConfig,
  context: { flags: CliFlags; shutdown: ShutdownRequest; logger: Logger; statusLine: StatusLine },
): Promise<TattlerConfig | number> {
  const { flags, shutdown, logger, statusLine } = context;
  const { resolveKindsOnServer } = await import('./resolve-kinds.js');
  const lookup = new AbortController();
  shutdown.onRequest(() => lookup.abort());
  const kinds = await resolveKindsOnServer(config, kubeConfig, {
    fromFlag: flags.kinds !== undefined,
    source: flags.config ?? 'the defaults',
    signal: lookup.signal,
  });
  if (shutdown.requested !== undefined) return stoppedEarly(logger, shutdown.requested);
  if (E.isLeft(kinds))
    return fatal(kinds.left.message, { tag: kinds.left._tag }, logger, statusLine);
  return kinds.right;
}

function stoppedEarly(logger: Logger, reason: string): number {
  logger.info({ reason }, 'stopped during start-up, before reading the cluster');
  return 0;
}

async function serveMetrics(
  config: TattlerConfig,
  metrics: CliMetrics,
  running: RunningTattler,
  logger: Logger,
): Promise<MetricsServer | undefined> {
  if (config.metrics.port === undefined) return undefined;
  const server = await startMetricsServer({
    host: config.metrics.host,
    port: config.metrics.port,
    registry: metrics.registry,
    ready: running.ready,
  });
  logger.info({ port: server.port }, 'serving /metrics, /healthz and /readyz');
  return server;
}

async function loadConfigFor(flags: CliFlags): Promise<E.Either<TattlerError, TattlerConfig>> {
  const kinds = checkKindsFlag(flags.kinds ?? []);
  if (E.isLeft(kinds)) return kinds;
  const loaded =
    flags.config === undefined
      ? parseConfig(undefined, 'the defaults')
      : await loadConfig(flags.config);
  return E.map((config: TattlerConfig) => applyFlags(config, flags))(loaded);
}

/**
 * Ends the command with code 1 for an error it cannot start with, as one plain
 * `tattler: ...` line on standard error whatever the log level (as for an invalid config),
 * and also as a log line for a log collector when standard error is no terminal.
 */
function fatal(message: string, fields: object, logger: Logger, statusLine: StatusLine): number {
  if (process.stderr.isTTY !== true) logger.error(fields, message);
  statusLine.writeAbove(`tattler: ${message}\n`);
  return 1;
}

function fail(error: TattlerError): number {
  process.stderr.write(`tattler: ${error.message}\n`);
  return 1;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
