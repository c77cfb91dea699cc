export * from './entry.js';
export * from './tattler-error.js';
export * from './decode.js';
export * from './batch.js';
export * from './create-batch.js';
