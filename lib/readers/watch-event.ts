import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';

/** An ADDED, MODIFIED or DELETED watch event: one object changed. */
export interface ObjectWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: Record<string, unknown>;
}

/**
 * A BOOKMARK watch event: the server says the watch has seen everything up to
 * `resourceVersion`. `initialEventsEnd` marks the end of a streaming list.
 */
export interface BookmarkWatchEvent {
  readonly type: 'BOOKMARK';
  readonly resourceVersion: string;
  readonly initialEventsEnd: boolean;
}

/** An ERROR watch event: the server ends the watch with a `Status`, such as 410 Gone. */
export interface ErrorWatchEvent {
  readonly type: 'ERROR';
  readonly code: number | undefined;
  readonly reason: string | undefined;
  readonly message: string | undefined;
}

/** One line of a watch response, parsed. */
export type WatchEvent = ObjectWatchEvent | BookmarkWatchEvent | ErrorWatchEvent;

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Parses one line of a watch response into a {@link WatchEvent}.
 *
 * Returns a Left `DecodeError` for a line that is not JSON or not a known event type; never
 * throws. The caller skips such lines and counts them.
 *
 * @param line one complete line, as {@link createLineSplitter} answers it.
 * @param kind the kind being watched, for the error message.
 * @returns the event, or why the line was not one.
 * @example
 * ```ts
 * import { parseWatchLine } from 'tattler';
 *
 * parseWatchLine('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"12"}}}', 'Pod');
 * // right({ type: 'BOOKMARK', resourceVersion: '12', initialEventsEnd: false })
 * ```
 */
export function parseWatchLine(line: string, kind: string): E.Either<TattlerError, WatchEvent> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (cause) {
    return E.left(lineError(kind, `is not JSON (${line.length} characters)`, cause));
  }
  if (!isRecord(raw) || !isRecord(raw['object'])) {
    return E.left(lineError(kind, 'has no "object" field'));
  }
  const object = raw['object'];
  switch (raw['type']) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return E.right({ type: raw['type'], object });
    case 'BOOKMARK':
      return E.right(bookmark(isRecord(object['metadata']) ? object['metadata'] : {}));
    case 'ERROR':
      return E.right({
        type: 'ERROR',
        code: typeof object['code'] === 'number' ? object['code'] : undefined,
        reason: str(object['reason']),
        message: str(object['message']),
      });
    default:
      return E.left(lineError(kind, `has type ${JSON.stringify(raw['type'])}`));
  }
}

function bookmark(metadata: Record<string, unknown>): BookmarkWatchEvent {
  const annotations = isRecord(metadata['annotations']) ? metadata['annotations'] : {};
  return {
    type: 'BOOKMARK',
    resourceVersion: str(metadata['resourceVersion']) ?? '',
    initialEventsEnd: annotations[INITIAL_EVENTS_END] === 'true',
  };
}

function lineError(kind: string, problem: string, cause?: unknown): TattlerError {
  return new TattlerError(
    'DecodeError',
    `a watch line for ${kind} ${problem}; expected a JSON watch event of type ADDED, ` +
      'MODIFIED, DELETED, BOOKMARK or ERROR. The line was skipped; check that the reader ' +
      'talks to a Kubernetes API server.',
    { cause, ref: { kind } },
  );
}
