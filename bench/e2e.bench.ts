import { report } from './support/child.js';

report({ skipped: 'the readers (lib/readers readCluster/readKind) are not available yet' });
