export * from './batch-by-uid.js';
export * from './bounded-drop.js';
