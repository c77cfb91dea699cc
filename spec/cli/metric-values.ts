import type { CliMetrics } from '../../lib/cli/metrics.js';

/**
 * The value of one series as a scrape would show it, 0 when absent. `name` may be a
 * histogram's `_count` or `_sum`; `labels` must all match.
 */
export async function valueOf(
  metrics: CliMetrics,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const series = await seriesOf(metrics, name);
  return series.find((sample) => matches(sample.labels, labels))?.value ?? 0;
}

/** Every series of a metric (or of a histogram's `_count`), as `{ labels, value }`. */
export async function seriesOf(
  metrics: CliMetrics,
  name: string,
): Promise<{ labels: Record<string, string | number | undefined>; value: number }[]> {
  const all = await metrics.registry.getMetricsAsJSON();
  return all.flatMap((metric) =>
    (metric.values as { metricName?: string; labels: object; value: number }[])
      .filter((sample) => (sample.metricName ?? metric.name) === name)
      .map((sample) => ({ labels: { ...sample.labels }, value: sample.value })),
  );
}

function matches(
  actual: Readonly<Record<string, string | number | undefined>>,
  wanted: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(wanted).every(([key, value]) => actual[key] === value);
}
