import { merge, takeUntil, tap, type Observable } from 'rxjs';
import type { Entry } from '../entry/entry.js';
import { preprocess } from '../operators/preprocess.js';
import { redactSecrets } from '../operators/redact-secrets.js';
import type { Diagnostic } from './diagnostics.js';
import type { TattlerOptions } from './options.js';
import type { StatsRecorder } from './stats-recorder.js';

/**
 * The stages before batching: the merged readers, cut off by `stop$`, then redaction (unless
 * turned off) and preprocessing (when configured), counting what passes and what fails.
 */
export function entryStream(
  options: TattlerOptions,
  stats: StatsRecorder,
  report: (diagnostic: Diagnostic) => void,
  stop$: Observable<void>,
): Observable<Entry> {
  // Limitation: the readers are merged, so one reader's error ends the whole pipeline; readers
  // are expected to retry transient failures themselves and error only when they give up.
  let entries$ = merge(...options.readers).pipe(
    takeUntil(stop$),
    tap(() => (stats.entriesIn += 1)),
  );
  if (options.redact !== false) {
    const redaction = redactSecrets({
      ...options.redact,
      counters: stats.redaction,
      onError: (error) => report({ _tag: 'EntryFailed', stage: 'redaction', error }),
    });
    entries$ = entries$.pipe(redaction);
  }
  const transforms = options.preprocess;
  if (transforms !== undefined && (typeof transforms === 'function' || transforms.length > 0)) {
    const transform = preprocess(transforms, {
      counters: stats.preprocess,
      onError: (error) => report({ _tag: 'EntryFailed', stage: 'preprocess', error }),
    });
    entries$ = entries$.pipe(transform);
  }
  return entries$.pipe(tap(() => (stats.entriesBatched += 1)));
}
