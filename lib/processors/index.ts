export * from './processor.js';
export * from './ndjson.js';
export * from './stdout.js';
export * from './file.js';
export * from './webhook.js';
