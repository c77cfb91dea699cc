import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookProcessor, type Logger, type WebhookBody } from '../../lib/index.js';
import { batchOf, podEntry } from './fixtures.js';

interface Received {
  readonly authorization: string | undefined;
  readonly body: WebhookBody;
}

/** A receiver on 127.0.0.1 whose answer to each request is chosen by `answer`. */
async function startReceiver(
  answer: (attempt: number, response: ServerResponse) => void,
): Promise<{ url: string; received: Received[]; attempts: () => number; server: Server }> {
  const received: Received[] = [];
  let attempts = 0;
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      attempts += 1;
      received.push({
        authorization: request.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString()) as WebhookBody,
      });
      answer(attempts, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/ingest`, received, attempts: () => attempts, server };
}

const ok = (response: ServerResponse): void => void response.writeHead(204).end();

describe('webhookProcessor', () => {
  let servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    servers = [];
  });
  const receiver = async (
    answer: (attempt: number, response: ServerResponse) => void,
  ): ReturnType<typeof startReceiver> => {
    const started = await startReceiver(answer);
    servers.push(started.server);
    return started;
  };

  it('should POST each batch as one JSON document with its entries', async () => {
    const { url, received } = await receiver((_attempt, response) => ok(response));
    const processor = webhookProcessor({ url });

    await processor.process(batchOf([podEntry('a'), podEntry('b', 'modified')]));
    await processor.close?.();

    expect(received).toHaveLength(1);
    expect(received[0]?.authorization).toBeUndefined();
    expect(received[0]?.body.size).toBe(2);
    expect(received[0]?.body.entries.map((entry) => [entry.name, entry.change])).toEqual([
      ['a', 'added'],
      ['b', 'modified'],
    ]);
  });

  it('should retry after a 500 and settle when the receiver recovers', async () => {
    const { url, received } = await receiver((attempt, response) =>
      attempt <= 2 ? void response.writeHead(500).end() : ok(response),
    );
    const processor = webhookProcessor({ url, retries: 3, minRetryDelayMs: 1 });

    await processor.process(batchOf([podEntry('a')]));
    await processor.close?.();

    expect(received).toHaveLength(3);
    expect(new Set(received.map((request) => JSON.stringify(request.body))).size).toBe(1);
  });

  it('should drop the batch after the last retry, rejecting without a warning per batch', async () => {
    const { url, attempts } = await receiver(
      (_attempt, response) => void response.writeHead(503).end(),
    );
    const warnings: object[] = [];
    const debug: object[] = [];
    const logger: Logger = {
      debug: (fields) => void debug.push(fields),
      info: () => undefined,
      warn: (fields) => void warnings.push(fields),
      error: () => undefined,
    };
    const processor = webhookProcessor({ url, retries: 2, minRetryDelayMs: 1, logger });

    await expect(processor.process(batchOf([podEntry('a')]))).rejects.toMatchObject({
      _tag: 'ProcessorError',
      message: expect.stringMatching(/dropped a batch of 1 after 3 attempt\(s\): .*HTTP 503/),
    });
    await expect(processor.process(batchOf([podEntry('b')]))).rejects.toThrow(/HTTP 503/);
    await processor.close?.();

    expect(attempts()).toBe(6);
    expect(warnings).toEqual([]);
    expect(debug).toContainEqual(expect.objectContaining({ size: 1, attempts: 3 }));
  });

  it('should not retry a 400, which a retry cannot fix', async () => {
    const { url, attempts } = await receiver(
      (_attempt, response) => void response.writeHead(400).end(),
    );
    const processor = webhookProcessor({ url, retries: 3, minRetryDelayMs: 1 });

    await expect(processor.process(batchOf([podEntry('a')]))).rejects.toThrow(/HTTP 400/);
    await processor.close?.();

    expect(attempts()).toBe(1);
  });

  it('should give up on a receiver that never answers after the timeout of each attempt', async () => {
    const { url, attempts } = await receiver(() => undefined);
    const processor = webhookProcessor({ url, retries: 1, minRetryDelayMs: 1, timeoutMs: 100 });

    await expect(processor.process(batchOf([podEntry('a')]))).rejects.toThrow(
      /no answer within 100 ms/,
    );
    await processor.close?.();

    expect(attempts()).toBe(2);
  });

  it('should send the bearer token from its file, read again for every batch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tattler-token-'));
    const tokenFile = join(dir, 'token');
    try {
      const { url, received } = await receiver((_attempt, response) => ok(response));
      const processor = webhookProcessor({ url, bearerTokenFile: tokenFile });

      await writeFile(tokenFile, 'first\n');
      await processor.process(batchOf([podEntry('a')]));
      await writeFile(tokenFile, 'second');
      await processor.process(batchOf([podEntry('b')]));
      await processor.close?.();

      expect(received.map((request) => request.authorization)).toEqual([
        'Bearer first',
        'Bearer second',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('should drop the batch when the token file is missing, naming the file', async () => {
    const { url, attempts } = await receiver((_attempt, response) => ok(response));
    const processor = webhookProcessor({
      url,
      retries: 0,
      bearerTokenFile: '/nonexistent/token',
    });

    await expect(processor.process(batchOf([podEntry('a')]))).rejects.toThrow(
      /cannot read its bearer token file \/nonexistent\/token \(ENOENT\)/,
    );
    await processor.close?.();

    expect(attempts()).toBe(0);
  });
});
