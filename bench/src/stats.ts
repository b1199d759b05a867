/** Small helpers shared by the benchmarks: percentiles, a printed table and a speed gauge. */
import { createHash } from 'node:crypto';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samples: number[]): { p50: number; p99: number; max: number; count: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, count: sorted.length };
}

export const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';

export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('');
}

/** Runs `workers` loops of `step` until `durationMs` elapses; returns per-step latencies in ms. */
export async function runFor(
  workers: number,
  durationMs: number,
  step: (worker: number, i: number) => Promise<void>,
  /** Steps per worker at most (e.g. each voter once); by default, as many as the time allows. */
  maxSteps = Number.POSITIVE_INFINITY,
): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; i < maxSteps && performance.now() < deadline; i++) {
        const t0 = performance.now();
        await step(worker, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, elapsedMs: performance.now() - started };
}

/**
 * Milliseconds this machine takes for a fixed piece of CPU work (300,000 SHA-256 digests of short
 * strings). A shared virtual machine's speed drifts (450 to 1,010 ms in one day here), so each
 * bench prints it before and after its phases: figures are comparable only at similar gauges.
 */
export function speedGauge(): number {
  const started = performance.now();
  for (let i = 0; i < 300_000; i++) createHash('sha256').update(`palabre-${i}`).digest();
  return performance.now() - started;
}

export const gaugeLine = (before: number, after: number): string =>
  `Speed gauge (300,000 SHA-256 digests; lower is faster): ${fmt(before, 0)} ms before the phases, ${fmt(after, 0)} ms after.`;
