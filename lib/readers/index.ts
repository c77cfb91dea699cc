export * from './resources.js';
export * from './bookmark-store.js';
export * from './bookmark-store-memory.js';
export * from './bookmark-store-file.js';
export * from './bookmark-store-configmap.js';
export * from './bookmark-store-throttle.js';
