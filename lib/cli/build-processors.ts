import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ProcessorConfig } from '../config/processors-schema.js';
import { TattlerError } from '../entry/tattler-error.js';
import type { Logger } from '../logger.js';
import { fileProcessor } from '../processors/file.js';
import type { Processor } from '../processors/processor.js';
import { stdoutProcessor } from '../processors/stdout.js';
import { webhookProcessor, type WebhookTls } from '../processors/webhook.js';

/**
 * Builds the processor a config entry describes.
 *
 * Throws a `ConfigError` when a CA, certificate, key or bearer token file cannot be read, or
 * when a file processor's directory does not exist or its path is a directory: the command
 * checks these once at start rather than failing on every batch.
 *
 * @param config - one entry of `processors`.
 * @param logger - for the processors that log (webhook).
 * @returns the processor, named `config.name` or its type.
 */
export function buildProcessor(config: ProcessorConfig, logger: Logger): Processor {
  const name = config.name ?? config.type;
  switch (config.type) {
    case 'stdout':
      return stdoutProcessor({ name });
    case 'file':
      checkDirectory(name, config.path);
      return fileProcessor({
        name,
        path: config.path,
        maxBytes: config.maxSize,
        maxFiles: config.maxFiles,
      });
    case 'webhook':
      checkTokenFile(name, config.bearerTokenFile);
      return webhookProcessor({
        name,
        url: config.url,
        timeoutMs: config.timeout,
        retries: config.retries,
        minRetryDelayMs: config.minRetryDelay,
        maxRetryDelayMs: config.maxRetryDelay,
        headers: config.headers,
        logger,
        tls: readTls(name, config),
        ...(config.bearerTokenFile === undefined
          ? {}
          : { bearerTokenFile: config.bearerTokenFile }),
      });
  }
}

/**
 * Builds every processor of a config, in order; when one cannot be built, closes those
 * already built and throws its `ConfigError`.
 *
 * @param configs - the `processors` of a config.
 * @param logger - for the processors that log.
 * @returns the processors.
 */
export function buildProcessors(configs: readonly ProcessorConfig[], logger: Logger): Processor[] {
  const built: Processor[] = [];
  try {
    for (const config of configs) built.push(buildProcessor(config, logger));
  } catch (error) {
    for (const processor of built) void processor.close?.();
    throw error;
  }
  return built;
}

// Limitation: the CA, certificate and key files are read once, here, while the bearer token
// is read for every attempt; a renewed certificate is used only after a restart.
function readTls(
  name: string,
  config: {
    caFile?: string | undefined;
    certFile?: string | undefined;
    keyFile?: string | undefined;
  },
): WebhookTls {
  const read = (field: string, path: string | undefined): Buffer | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (cause) {
      throw new TattlerError(
        'ConfigError',
        `processor ${name}: cannot read ${field} ${path} ` +
          `(${(cause as NodeJS.ErrnoException).code ?? String(cause)}); expected a PEM file. ` +
          `Fix processors[].${field}.`,
        { cause },
      );
    }
  };
  const tls = {
    ca: read('caFile', config.caFile),
    cert: read('certFile', config.certFile),
    key: read('keyFile', config.keyFile),
  };
  return Object.fromEntries(Object.entries(tls).filter(([, value]) => value !== undefined));
}

/** Throws a `ConfigError` unless the directory of a file processor's path exists. */
function checkDirectory(name: string, path: string): void {
  const directory = dirname(resolve(path));
  let problem: string | undefined;
  try {
    if (!statSync(directory).isDirectory()) problem = 'is not a directory';
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(cause)})`;
  }
  if (problem !== undefined) {
    throw new TattlerError(
      'ConfigError',
      `processor ${name}: the directory ${directory} of path ${path} ${problem}; tattler does ` +
        `not create it. Create it (mkdir -p ${directory}) or fix processors[].path.`,
    );
  }
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw new TattlerError(
      'ConfigError',
      `processor ${name}: path ${path} is a directory; expected a file to append to. ` +
        `Name a file in it (such as ${join(path, 'entries.ndjson')}) in processors[].path.`,
    );
  }
}

/**
 * Throws a `ConfigError` unless the bearer token file can be read now; it is read again for
 * every attempt, so a token rotated later is still picked up.
 */
function checkTokenFile(name: string, path: string | undefined): void {
  if (path === undefined) return;
  try {
    accessSync(path, constants.R_OK);
  } catch (cause) {
    throw new TattlerError(
      'ConfigError',
      `processor ${name}: cannot read bearerTokenFile ${path} ` +
        `(${(cause as NodeJS.ErrnoException).code ?? String(cause)}); expected a file ` +
        'holding the token. Fix processors[].bearerTokenFile or mount the token.',
      { cause },
    );
  }
}
