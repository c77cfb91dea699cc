/**
 * The logger Tattler accepts: pino's calling convention, fields first and message second.
 *
 * The library never writes to the console and bundles no logger. Pass a pino logger (or
 * anything with these four methods) to see what it does; the default is {@link silentLogger}.
 * Tattler logs identifiers (kind, namespace, name, UID), never object bodies, which may hold
 * secrets.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import type { Logger } from 'tattler';
 *
 * const logger: Logger = pino();
 * ```
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const ignore = (): void => undefined;

/** A {@link Logger} that discards everything: the default wherever a logger is optional. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
