import { jest } from '@jest/globals';
import { MockAgent } from 'undici';
import { webhookProcessor, type Logger, type WebhookProcessorOptions } from '../../lib/index.js';
import { batchOf, podEntry } from './fixtures.js';

const ORIGIN = 'http://receiver.test';
// Closed on the real clock: MockAgent's close() waits on a timer.
const dispatchers: MockAgent[] = [];
const START = Date.UTC(2026, 0, 2, 3, 4, 5);

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

/**
 * Sends one batch through a receiver (undici's MockAgent, no network) that gives `answers`
 * in turn, on a fake clock, and answers the virtual time between consecutive attempts.
 */
async function gapsBetweenAttempts(
  answers: readonly Answer[],
  options: Omit<WebhookProcessorOptions, 'url' | 'dispatcher'>,
): Promise<number[]> {
  const dispatcher = new MockAgent();
  dispatchers.push(dispatcher);
  dispatcher.disableNetConnect();
  const times: number[] = [];
  for (const answer of answers) {
    dispatcher
      .get(ORIGIN)
      .intercept({ path: '/ingest', method: 'POST' })
      .reply(() => {
        times.push(Date.now());
        return {
          statusCode: answer.status,
          data: '',
          responseOptions: { headers: answer.headers },
        };
      });
  }
  const processor = webhookProcessor({ url: `${ORIGIN}/ingest`, dispatcher, ...options });
  const settled = Promise.resolve(processor.process(batchOf([podEntry('a')]))).then(
    () => 'delivered',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  await jest.runAllTimersAsync();
  expect(await settled).toBe('delivered');
  await processor.close?.();
  expect(times).toHaveLength(answers.length);
  return times.slice(1).map((time, index) => time - (times[index] ?? 0));
}

describe('webhookProcessor retries', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: START });
    // The jitter factor is 1 + random(): with 0.5 every delay is 1.5 times its base.
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(async () => {
    jest.useRealTimers();
    jest.restoreAllMocks();
    await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.close()));
  });

  it('should wait the minimum delay, doubled for each retry, with jitter', async () => {
    const gaps = await gapsBetweenAttempts(
      [{ status: 503 }, { status: 500 }, { status: 502 }, { status: 204 }],
      { retries: 3, minRetryDelayMs: 100, maxRetryDelayMs: 10_000 },
    );
    expect(gaps).toEqual([150, 300, 600]);
  });

  it('should wait no longer than the maximum delay', async () => {
    const gaps = await gapsBetweenAttempts(
      [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 204 }],
      { retries: 3, minRetryDelayMs: 100, maxRetryDelayMs: 250 },
    );
    expect(gaps).toEqual([150, 250, 250]);
  });

  it("should wait as long as a 503's Retry-After in seconds asks", async () => {
    const gaps = await gapsBetweenAttempts(
      [{ status: 503, headers: { 'retry-after': '2' } }, { status: 204 }],
      { retries: 1, minRetryDelayMs: 100 },
    );
    expect(gaps).toEqual([2000]);
  });

  it("should wait until a 429's Retry-After date", async () => {
    const date = new Date(START + 3000).toUTCString();
    const gaps = await gapsBetweenAttempts(
      [{ status: 429, headers: { 'retry-after': date } }, { status: 204 }],
      { retries: 1, minRetryDelayMs: 100 },
    );
    expect(gaps).toEqual([3000]);
  });

  it('should keep its own backoff when it is longer than Retry-After', async () => {
    const gaps = await gapsBetweenAttempts(
      [{ status: 503, headers: { 'retry-after': '1' } }, { status: 204 }],
      { retries: 1, minRetryDelayMs: 4000 },
    );
    expect(gaps).toEqual([6000]);
  });

  it('should cap Retry-After at the maximum delay', async () => {
    const gaps = await gapsBetweenAttempts(
      [{ status: 503, headers: { 'retry-after': '3600' } }, { status: 204 }],
      { retries: 1, minRetryDelayMs: 100, maxRetryDelayMs: 5000 },
    );
    expect(gaps).toEqual([5000]);
  });

  it('should ignore Retry-After on other statuses', async () => {
    const gaps = await gapsBetweenAttempts(
      [{ status: 500, headers: { 'retry-after': '60' } }, { status: 204 }],
      { retries: 1, minRetryDelayMs: 100 },
    );
    expect(gaps).toEqual([150]);
  });
});

describe('webhookProcessor bearer token', () => {
  const warningsFor = (url: string): object[] => {
    const warnings: object[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (fields) => void warnings.push(fields),
      error: () => undefined,
    };
    void webhookProcessor({ url, bearerTokenFile: '/run/token', logger }).close?.();
    return warnings;
  };

  it('should warn once, when built, that a token over http:// travels in clear text', () => {
    expect(warningsFor('http://receiver.test/ingest')).toEqual([
      { processor: 'webhook', url: 'http://receiver.test/ingest' },
    ]);
  });

  it('should not warn for https://', () => {
    expect(warningsFor('https://receiver.test/ingest')).toEqual([]);
  });
});
