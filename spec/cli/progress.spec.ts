import { PassThrough } from 'node:stream';
import { ListProgress } from '../../lib/cli/progress.js';
import { StatusLine } from '../../lib/cli/status-line.js';

const terminal = (): PassThrough & { isTTY: boolean; text: () => string } => {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return Object.assign(stream, { text: () => text });
};

describe('ListProgress', () => {
  it('should show objects so far per kind and end the line once every kind settled', () => {
    const stream = terminal();
    const progress = new ListProgress(['Pod', 'Node'], new StatusLine(stream, true), 0);

    progress.entry('Pod');
    progress.entry('Pod');
    progress.settle('Node', 'failed');
    progress.settle('Pod', 'synced');
    progress.entry('Pod');

    const frames = stream.text().split('\r\x1b[2K');
    expect(frames.at(-1)).toBe('initial list: Pod 2 done, Node 0 FAILED\n');
    expect(frames).toContain('initial list: Pod 2, Node 0');
  });

  it('should write nothing off a terminal', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: false });
    const progress = new ListProgress(['Pod'], new StatusLine(stream), 0);
    progress.entry('Pod');
    progress.settle('Pod', 'synced');
    expect(stream.read()).toBeNull();
  });

  it('should write log lines above the status line and redraw it', () => {
    const stream = terminal();
    const line = new StatusLine(stream, true);
    line.show('initial list: Pod 1');
    line.writeAbove('log\n');
    line.done();
    expect(stream.text()).toBe('\r\x1b[2Kinitial list: Pod 1\r\x1b[2Klog\ninitial list: Pod 1\n');
  });
});
