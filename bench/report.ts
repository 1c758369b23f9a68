// The bench's report: every figure printed is also recorded here, measured in
// this run (or, where a figure comes from elsewhere, marked `cited` with its
// source), written to bench/results/<date>.json, and two reports can be compared.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Figure {
  value: number;
  unit: string;
  /** What a lower or higher value means, for the comparison's arrows. */
  better: 'lower' | 'higher';
  note?: string;
  /** Not measured in this run: where the figure comes from. */
  cited?: string;
}

export interface BenchReport {
  startedAt: string;
  machine: { cores: number; node: string; platform: string; loadAverage: number[] };
  figures: Record<string, Figure>;
}

export function createReport(): BenchReport & {
  add(key: string, label: string, figure: Figure): void;
  skip(label: string, reason: string): void;
} {
  const figures: Record<string, Figure> = {};
  return {
    startedAt: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      node: process.versions.node,
      platform: `${os.platform()} ${os.release()}`,
      loadAverage: os.loadavg(),
    },
    figures,
    add(key, label, figure) {
      figures[key] = figure;
      const value = `${formatValue(figure.value, figure.unit)}`;
      const note = [figure.note, figure.cited && `cited, not measured: ${figure.cited}`].filter(Boolean).join('; ');
      console.log(`${label.padEnd(60)} ${value.padEnd(14)} ${note}`);
    },
    skip(label, reason) {
      console.log(`${label.padEnd(60)} ${'skipped'.padEnd(14)} ${reason}`);
    },
  };
}

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

export async function writeReport(report: BenchReport, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  const { startedAt, machine, figures } = report;
  await writeFile(file, `${JSON.stringify({ startedAt, machine, figures }, null, 2)}\n`);
  return file;
}

/** Prints the figures two reports share, side by side, with b ÷ a and whether that is better. */
export async function compareReports(aFile: string, bFile: string): Promise<void> {
  const [a, b] = (await Promise.all([aFile, bFile].map((f) => readFile(f, 'utf8').then(JSON.parse)))) as BenchReport[];
  console.log(
    `${'figure'.padEnd(44)} ${path.basename(aFile).slice(0, 19).padEnd(16)} ${path.basename(bFile).slice(0, 19).padEnd(16)} b ÷ a`,
  );
  const keys = [...new Set([...Object.keys(a!.figures), ...Object.keys(b!.figures)])];
  for (const key of keys) {
    const fa = a!.figures[key];
    const fb = b!.figures[key];
    const ratio = fa && fb && fa.value !== 0 ? fb.value / fa.value : NaN;
    const better = fa ?? fb!;
    const verdict = !Number.isFinite(ratio)
      ? ''
      : Math.abs(ratio - 1) < 0.05
        ? '≈'
        : ratio < 1 === (better.better === 'lower')
          ? 'better'
          : 'worse';
    console.log(
      `${key.padEnd(44)} ${(fa ? formatValue(fa.value, fa.unit) : '—').padEnd(16)} ${(fb ? formatValue(fb.value, fb.unit) : '—').padEnd(16)} ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}× ${verdict}` : ''}`,
    );
  }
}
