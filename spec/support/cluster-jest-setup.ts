/**
 * Runs before every e2e test file (Jest `setupFilesAfterEnv`): tests there talk to a real API
 * server, sometimes one they start themselves, so the default timeout is 30 s instead of
 * Jest's 5 s. A test that needs longer still passes its own timeout.
 */
import { jest } from '@jest/globals';

jest.setTimeout(30_000);
