/**
 * Splits a chunked byte stream into complete lines, keeping a partial line until its end
 * arrives.
 *
 * A watch response is newline-delimited JSON sent in chunks that ignore line boundaries: a
 * chunk may hold several events, or end in the middle of one, or in the middle of a multi-byte
 * UTF-8 character. `push` answers the lines a chunk completes; `end` answers the last line if
 * the stream did not end with a newline. Empty lines are skipped.
 *
 * @returns a splitter with its own buffer; use one per response.
 * @example
 * ```ts
 * import { createLineSplitter } from 'tattler';
 *
 * const splitter = createLineSplitter();
 * splitter.push(new TextEncoder().encode('{"a":1}\n{"b"')); // ['{"a":1}']
 * splitter.push(new TextEncoder().encode(':2}\n')); // ['{"b":2}']
 * ```
 *
 * Gotchas: a line grows without bound until its newline arrives; the API server never sends
 * one event larger than its request size limit, so this only matters for a hostile server.
 */
export function createLineSplitter(): LineSplitter {
  const decoder = new TextDecoder('utf-8');
  // The pieces of the line not ended yet. Each chunk is searched for a newline once and the
  // pieces are joined once, when the line ends, so a line costs time linear in its length
  // however many chunks it spans.
  let pieces: string[] = [];
  const split = (text: string): string[] => {
    const lines: string[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      pieces.push(text.slice(start, end));
      const line = pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
      pieces = [];
      if (line.trim() !== '') lines.push(line);
      start = end + 1;
    }
    if (start < text.length) pieces.push(text.slice(start));
    return lines;
  };
  return {
    push: (chunk) =>
      split(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })),
    end: () => split(decoder.decode() + '\n'),
  };
}

/** What {@link createLineSplitter} returns. */
export interface LineSplitter {
  /** Adds a chunk; answers the complete, non-empty lines it finishes, in order. */
  push(chunk: Uint8Array | string): string[];
  /** Flushes the buffered partial line, if any, as a last line. */
  end(): string[];
}
