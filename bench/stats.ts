// Small helpers for benchmark figures.
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** The median (the mean of the two middle values for an even count). */
export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;

/** Now on the wall clock in ms, to sub-millisecond precision (comparable with Postgres timestamps). */
export const epochMs = () => performance.timeOrigin + performance.now();

export const summarize = (values: number[]) => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  n: values.length,
});
