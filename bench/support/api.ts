import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { TestClusterInfo } from '../../spec/support/cluster.js';

/** The annotation part 4 stamps changes with: milliseconds since the epoch, with a fraction. */
export const SENT_AT = 'bench.tattler.io/sent-at';

/**
 * A bare HTTP client for the test API server, for what the benchmarks do around the code
 * under test: create Pods fast, patch them at a steady rate, and the bare LIST floor.
 * Loopback only: it talks to the server the benchmark started.
 */
export class BenchApi {
  private readonly agent: Agent;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly info: Pick<TestClusterInfo, 'server' | 'caFile' | 'tokens'>,
    connections = 64,
  ) {
    const ca = readFileSync(info.caFile, 'utf8');
    this.agent = new Agent({ connections, connect: { ca } });
    this.headers = { authorization: `Bearer ${info.tokens.admin}`, accept: 'application/json' };
  }

  /** Sends one request and answers the status and body text; never throws for a status. */
  async send(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: { readonly text: string; readonly type: string },
  ): Promise<{ status: number; text: string }> {
    const headers =
      body === undefined ? this.headers : { ...this.headers, 'content-type': body.type };
    const response = await request(`${this.info.server}${path}`, {
      method,
      headers,
      body: body?.text,
      dispatcher: this.agent,
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  /** Answers once `body` is created, or throws with the server's message. */
  async create(path: string, object: unknown): Promise<void> {
    const { status, text } = await this.send('POST', path, {
      text: JSON.stringify(object),
      type: 'application/json',
    });
    if (status !== 201 && status !== 409)
      throw new Error(`POST ${path}: ${status} ${text.slice(0, 300)}`);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` at a time, in order of i.
 */
export async function forEachBounded(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
