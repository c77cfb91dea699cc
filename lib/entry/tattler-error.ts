/**
 * Identifies the object an error is about, as far as it is known.
 */
export interface ObjectRef {
  readonly kind?: string | undefined;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly uid?: string | undefined;
}

/** The tags of {@link TattlerError}, one per way a pipeline can fail. */
export type TattlerErrorTag =
  | 'DecodeError'
  | 'RedactionError'
  | 'PreprocessError'
  | 'ProcessorError'
  | 'AccessDeniedError'
  | 'ReaderError'
  | 'ConfigError';

/**
 * The one error type of Tattler, told apart by `_tag`.
 *
 * Per-object failures travel as values (`Either<TattlerError, Entry>`) and are counted;
 * failures that end a stream travel on the RxJS error channel. Either way the message names
 * the thing, what was expected and the fix, and `ref` names the object where it is known.
 *
 * @example
 * ```ts
 * import { TattlerError } from 'tattler';
 *
 * const error = new TattlerError('DecodeError', 'watch event has no object; expected ...', {
 *   ref: { kind: 'Pod' },
 * });
 * error._tag; // 'DecodeError'
 * ```
 */
export class TattlerError extends Error {
  override readonly name = 'TattlerError';
  readonly ref: ObjectRef | undefined;

  constructor(
    readonly _tag: TattlerErrorTag,
    message: string,
    options: { readonly cause?: unknown; readonly ref?: ObjectRef } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.ref = options.ref;
  }
}

/**
 * Describes an object for a message: `Pod default/web-1 (uid 1234)`, leaving out what is not
 * known. It names identifiers only, never contents, which may hold secrets.
 */
export function describeRef(ref: ObjectRef | undefined): string {
  if (ref === undefined) return 'object';
  const name = [ref.namespace, ref.name].filter((part) => part !== undefined).join('/');
  const parts = [ref.kind ?? 'object', name, ref.uid === undefined ? '' : `(uid ${ref.uid})`];
  return parts.filter((part) => part !== '').join(' ');
}
