import { StatusLine } from './status-line.js';

/**
 * Shows, on a terminal, how many objects each kind's initial list has delivered so far:
 * a {@link StatusLine} on standard error, rewritten at most every `intervalMs`, and left in
 * place once every kind has synced or failed.
 *
 * Off a terminal it writes nothing; the command logs one line per synced kind instead.
 */
export class ListProgress {
  private readonly counts = new Map<string, number>();
  private readonly done = new Map<string, 'synced' | 'failed'>();
  private lastDraw = 0;
  private finished = false;

  constructor(
    kinds: readonly string[],
    private readonly line: StatusLine = new StatusLine(),
    private readonly intervalMs = 100,
  ) {
    for (const kind of kinds) this.counts.set(kind, 0);
  }

  /** Counts one object of `kind` delivered by its initial list. */
  entry(kind: string): void {
    if (this.finished || this.done.has(kind)) return;
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    const now = Date.now();
    if (now - this.lastDraw >= this.intervalMs) this.draw(now);
  }

  /** Marks a kind as synced or failed; the line is finished when every kind is. */
  settle(kind: string, outcome: 'synced' | 'failed'): void {
    if (this.finished || this.done.get(kind) === outcome) return;
    this.done.set(kind, outcome);
    const all = [...this.counts.keys()].every((name) => this.done.has(name));
    this.draw(Date.now());
    if (all) this.finish();
  }

  /** Ends the line, for example when the command stops before every kind synced. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.line.done();
  }

  private draw(now: number): void {
    if (!this.line.enabled) return;
    this.lastDraw = now;
    const parts = [...this.counts].map(([kind, count]) => {
      const outcome = this.done.get(kind);
      const mark = outcome === 'synced' ? ' done' : outcome === 'failed' ? ' FAILED' : '';
      return `${kind} ${count}${mark}`;
    });
    this.line.show(`initial list: ${parts.join(', ')}`);
  }
}
