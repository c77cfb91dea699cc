export * from './batch-by-uid.js';
export * from './bounded-drop.js';
export * from './redact-secrets.js';
export * from './preprocess.js';
