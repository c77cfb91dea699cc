/**
 * Tattler: watch a Kubernetes cluster once and fan its state out to many consumers.
 *
 * @packageDocumentation
 */
export * from './entry/index.js';
export * from './logger.js';
export * from './processors/index.js';
export * from './redaction/index.js';
export * from './operators/index.js';
export * from './readers/index.js';
export * from './router/index.js';
export * from './pipeline/index.js';
export * from './config/index.js';
