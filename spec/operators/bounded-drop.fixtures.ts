import { either as E } from 'fp-ts';
import { timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ProcessFailure } from '../../lib/index.js';

export function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** An outcome as text: `A` for right('a'), `!a` for left({ value: 'a' }). */
export const show = (outcome: E.Either<ProcessFailure<string>, string>): string =>
  E.isRight(outcome) ? outcome.right.toUpperCase() : `!${outcome.left.value}`;

/** A process that takes `frames` of virtual time per value. */
export const slow = (frames: number) => () => timer(frames);
