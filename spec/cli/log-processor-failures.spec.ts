import { processorFailureLogger } from '../../lib/cli/log-processor-failures.js';
import { TattlerError } from '../../lib/entry/tattler-error.js';
import type { Logger } from '../../lib/logger.js';
import type { ProcessorFailedDiagnostic } from '../../lib/pipeline/diagnostics.js';

function failed(processor: string, cause: Error): ProcessorFailedDiagnostic {
  return {
    _tag: 'ProcessorFailed',
    processor,
    phase: 'process',
    entries: 3,
    error: new TattlerError(
      'ProcessorError',
      `processor "${processor}" failed: ${cause.message}.`,
      {
        cause,
      },
    ),
  };
}

function enoent(): Error {
  return Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
}

describe('processorFailureLogger', () => {
  it('should log the cause once per processor and reason', () => {
    const warnings: [object, string | undefined][] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (fields, message) => warnings.push([fields, message]),
    };
    const log = processorFailureLogger(logger);

    log(failed('file', enoent()));
    log(failed('file', enoent()));
    log(failed('hook', new Error('the webhook answered 503')));
    log(failed('hook', new Error('the webhook answered 503')));
    log(failed('file', new Error('EACCES')));

    expect(warnings.map(([fields]) => fields)).toEqual([
      { processor: 'file', phase: 'process', reason: 'ENOENT' },
      { processor: 'hook', phase: 'process', reason: 'the webhook answered 503' },
      { processor: 'file', phase: 'process', reason: 'EACCES' },
    ]);
    expect(warnings[0]?.[1]).toContain('ENOENT: no such file or directory');
  });

  it('should take the reason from the innermost cause, so that batch sizes do not repeat it', () => {
    const warnings: object[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (fields) => void warnings.push(fields),
    };
    const log = processorFailureLogger(logger);
    const dropped = (size: number): Error =>
      new TattlerError('ProcessorError', `processor hook dropped a batch of ${size}`, {
        cause: new Error('the receiver answered HTTP 503'),
      });

    log(failed('hook', dropped(3)));
    log(failed('hook', dropped(7)));

    expect(warnings).toEqual([
      { processor: 'hook', phase: 'process', reason: 'the receiver answered HTTP 503' },
    ]);
  });
});
