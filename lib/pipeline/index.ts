export * from './diagnostics.js';
export * from './handle.js';
export * from './options.js';
export * from './stats.js';
export * from './tattler.js';
