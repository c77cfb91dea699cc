export * from './processor.js';
