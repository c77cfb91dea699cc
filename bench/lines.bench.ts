/**
 * Part 5: splits a watch response into lines as the readers do, for lines of several
 * lengths, and reports the time per line and the throughput. The body arrives in 16 KiB
 * chunks (what a TLS connection typically hands over), so a long line spans many chunks:
 * the case where splitting must stay linear in the line's length.
 *
 *   npx tsx bench/lines.bench.ts
 *   npx tsx bench/lines.bench.ts --lengths 8192,1572864,6291456 --chunk 16384
 */
import { createLineSplitter } from '../lib/index.js';
import { argValue, report } from './support/child.js';
import { MIB } from './support/measure.js';

/** The bytes each case pushes through, at least: enough lines that one run is not noise. */
const BYTES_PER_CASE = 96 * MIB;

/** What one line length measured. */
export interface LinesResult {
  readonly lineBytes: number;
  readonly chunkBytes: number;
  readonly lines: number;
  readonly msPerLine: number;
  readonly mibPerSecond: number;
}

/** One newline-ended JSON line of `length` bytes, as a watch event would be. */
function makeLine(length: number): Uint8Array {
  const frame = '{"type":"MODIFIED","object":{"data":""}}\n';
  const filler = 'x'.repeat(Math.max(0, length - frame.length));
  return new TextEncoder().encode(`{"type":"MODIFIED","object":{"data":"${filler}"}}\n`);
}

function measure(lineBytes: number, chunkBytes: number): LinesResult {
  const line = makeLine(lineBytes);
  const count = Math.max(1, Math.ceil(BYTES_PER_CASE / line.length));
  const body = new Uint8Array(line.length * count);
  for (let i = 0; i < count; i++) body.set(line, i * line.length);
  const splitter = createLineSplitter();
  let seen = 0;
  const t0 = process.hrtime.bigint();
  for (let from = 0; from < body.length; from += chunkBytes) {
    seen += splitter.push(body.subarray(from, from + chunkBytes)).length;
  }
  seen += splitter.end().length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (seen !== count) throw new Error(`split ${seen} lines, expected ${count}`);
  return {
    lineBytes: line.length,
    chunkBytes,
    lines: count,
    msPerLine: (seconds * 1000) / count,
    mibPerSecond: body.length / MIB / seconds,
  };
}

function main(): void {
  const lengths = argValue('lengths', '8192,1572864,6291456').split(',').map(Number);
  const chunk = Number(argValue('chunk', '16384'));
  measure(8192, chunk); // warm up the JIT
  report(lengths.map((length) => measure(length, chunk)));
}

main();
