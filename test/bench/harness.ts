// Benchmark plumbing: time a body for a while, print a human line or, with
// --json, one JSON object per metric:
//   {"metric": "...", "value": n, "unit": "...", "reference": "...", "ratio": n}
// Ratios compare against a reference measured in the same run on the same
// machine, so they mean something wherever the benchmark runs.

export interface Metric {
  metric: string;
  value: number;
  unit: string;
  reference: string;
  ratio: number | null;
  /** whether the metric meets its target, for metrics that have one */
  pass?: boolean;
}

export const JSON_OUTPUT = process.argv.includes('--json');

export function report(m: Metric): void {
  if (JSON_OUTPUT) {
    process.stdout.write(JSON.stringify(m) + '\n');
    return;
  }
  const ratio = m.ratio === null ? '' : `  (${m.ratio.toFixed(3)} × ${m.reference})`;
  const verdict = m.pass === undefined ? '' : m.pass ? '  PASS' : '  FAIL';
  process.stdout.write(`${m.metric.padEnd(32)} ${fmt(m.value).padStart(12)} ${m.unit}${ratio}${verdict}\n`);
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** Runs body repeatedly for about `ms` and returns operations per second (body returns how many ops it did). */
export async function rate(ms: number, body: () => Promise<number> | number): Promise<number> {
  // warm-up: let the JIT and caches settle
  const warm = performance.now() + Math.min(300, ms / 4);
  while (performance.now() < warm) await body();
  let ops = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) ops += await body();
  return (ops * 1000) / (performance.now() - start);
}
