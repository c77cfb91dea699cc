const rules = new Intl.PluralRules('en');

/**
 * A count with its noun in the right number, for log messages: `1 batch`, `2 batches`,
 * `0 entries`.
 *
 * @param count - how many.
 * @param one - the noun for one (`batch`).
 * @param other - the noun for any other count (`batches`).
 * @returns the count, a space and the noun: `counted(1, 'entry', 'entries')` is `1 entry`.
 */
export function counted(count: number, one: string, other: string): string {
  return `${count} ${rules.select(count) === 'one' ? one : other}`;
}
