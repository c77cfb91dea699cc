import fc from 'fast-check';
import { createLineSplitter } from '../../lib/index.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('createLineSplitter', () => {
  it('should answer no line for an empty chunk', () => {
    const splitter = createLineSplitter();
    expect(splitter.push(bytes(''))).toEqual([]);
    expect(splitter.end()).toEqual([]);
  });

  it('should answer every complete line of one chunk, in order', () => {
    const splitter = createLineSplitter();
    expect(splitter.push(bytes('{"a":1}\n{"b":2}\n'))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('should keep a partial line until its newline arrives', () => {
    const splitter = createLineSplitter();
    expect(splitter.push(bytes('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(splitter.push(bytes(':2'))).toEqual([]);
    expect(splitter.push(bytes('}\n'))).toEqual(['{"b":2}']);
  });

  it('should flush a last line that has no newline at the end', () => {
    const splitter = createLineSplitter();
    expect(splitter.push('{"a":1}\n{"b":2}')).toEqual(['{"a":1}']);
    expect(splitter.end()).toEqual(['{"b":2}']);
  });

  it('should skip blank lines', () => {
    const splitter = createLineSplitter();
    expect(splitter.push('\n\n{"a":1}\n  \n')).toEqual(['{"a":1}']);
  });

  it('should rebuild a multi-byte character split across chunks', () => {
    const encoded = bytes('{"name":"café"}\n');
    const cut = encoded.length - 4; // inside the two bytes of "é"
    const splitter = createLineSplitter();
    expect(splitter.push(encoded.slice(0, cut))).toEqual([]);
    expect(splitter.push(encoded.slice(cut))).toEqual(['{"name":"café"}']);
  });

  it('should answer the same lines however the stream is cut into chunks', () => {
    const line = fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !/[\n\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, cuts) => {
          const encoded = bytes(lines.map((l) => `${l}\n`).join(''));
          const points = [...new Set(cuts.map((c) => c % (encoded.length + 1)))].sort(
            (a, b) => a - b,
          );
          const splitter = createLineSplitter();
          const seen: string[] = [];
          let from = 0;
          for (const point of [...points, encoded.length]) {
            seen.push(...splitter.push(encoded.slice(from, point)));
            from = point;
          }
          seen.push(...splitter.end());
          expect(seen).toEqual(lines.filter((l) => l.trim() !== ''));
        },
      ),
    );
  });

  it('should answer a line that spans many chunks once, when its newline arrives', () => {
    const line = `{"data":"${'x'.repeat(1024 * 1024)}"}`;
    const encoded = bytes(`${line}\n{"next":1}\n`);
    const splitter = createLineSplitter();
    const seen: string[][] = [];
    for (let from = 0; from < encoded.length; from += 16 * 1024) {
      seen.push(splitter.push(encoded.subarray(from, from + 16 * 1024)));
    }
    expect(seen.slice(0, -1).every((lines) => lines.length === 0)).toBe(true);
    expect(seen.at(-1)).toEqual([line, '{"next":1}']);
    expect(splitter.end()).toEqual([]);
  });

  it('should rebuild long lines cut into small chunks of any size', () => {
    const line = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 2000 })
      .filter((s) => !/[\n\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 16 }),
        fc.boolean(),
        (lines, sizes, endsWithNewline) => {
          const text = lines.join('\n') + (endsWithNewline ? '\n' : '');
          const encoded = bytes(text);
          const splitter = createLineSplitter();
          const seen: string[] = [];
          for (let from = 0, turn = 0; from < encoded.length; turn += 1) {
            const size = sizes[turn % sizes.length] ?? 1;
            seen.push(...splitter.push(encoded.subarray(from, from + size)));
            from += size;
          }
          seen.push(...splitter.end());
          expect(seen).toEqual(lines.filter((l) => l.trim() !== ''));
          expect(splitter.end()).toEqual([]);
        },
      ),
    );
  });
});
