// Printing eval reports: the per-game table with its totals, and the comparison
// of two reports (per idea and total deltas). Pure: strings in, strings out.
import type { EvalGame, EvalReport, EvalTotals } from './report.ts';

const NA = 'n/a';
const pct = (r: number | null) => (r === null ? NA : `${Math.round(r * 100)}%`);
const tokens = (t: { input: number; output: number } | null) => (t ? `${t.input}+${t.output}` : NA);
const cost = (c: number | null) => (c === null ? NA : `$${c.toFixed(4)}`);
const secs = (s: number) => `${s.toFixed(1)}s`;

function grid(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const gameRow = (g: EvalGame, withProvider: boolean) => [
  g.id,
  ...(withProvider ? [g.provider ?? NA] : []),
  `${g.expectedKit}→${g.kit ?? '?'}`,
  g.verdict,
  g.passed === null ? NA : g.passed ? 'yes' : 'no',
  g.score === null ? NA : String(g.score),
  g.rubric.total ? `${g.rubric.passed}/${g.rubric.verified}/${g.rubric.total} ${pct(g.rubric.passRate)}` : NA,
  String(g.repairs),
  tokens(g.tokens),
  cost(g.costUsd),
  secs(g.seconds),
];

export function formatTotals(t: EvalTotals): string {
  return [
    `games ${t.games}: excellent ${t.excellent}, usable ${t.usable}, unusable ${t.unusable}; play-test passed ${t.passed}/${t.games}`,
    `mean score ${t.meanScore ?? NA}; rubric pass rate ${pct(t.rubricPassRate)}; repairs ${t.repairs}`,
    `tokens ${tokens(t.tokens)}; cost ${cost(t.costUsd)}; game time ${secs(t.gameSeconds)}`,
  ].join('\n');
}

/** A report that ran every idea on several providers (`--provider` twice or more). */
const multiProvider = (r: EvalReport) => r.providers.length > 1;
/** How a game is matched across reports: its idea, and its provider when a report holds several. */
const gameKey = (r: EvalReport, g: EvalGame) => (multiProvider(r) ? `${g.id}@${g.provider ?? NA}` : g.id);

export function formatReport(r: EvalReport): string {
  const who = multiProvider(r) ? ` (${r.providers.join(' vs ')})` : r.provider ? ` (${r.provider})` : '';
  const head = `eval ${r.suite}: agent ${r.agent}${who}${r.model ? `, model ${r.model}` : ''}, MAX_CONCURRENT ${r.settings.maxConcurrent}, ${secs(r.wallSeconds)} wall`;
  const table = grid(
    [
      'idea',
      ...(multiProvider(r) ? ['provider'] : []),
      'kit (expected→built)',
      'verdict',
      'passed',
      'score',
      'rubric (pass/verified/total)',
      'repairs',
      'tokens',
      'cost',
      'time',
    ],
    r.games.map((g) => gameRow(g, multiProvider(r))),
  );
  const reasons = r.games
    .filter((g) => g.verdict !== 'excellent')
    .flatMap((g) => [
      `  ${gameKey(r, g)}: ${g.reason}`,
      ...g.defects.slice(0, 2).map((d) => `    - ${d.slice(0, 200)}`),
    ]);
  const perProvider = r.byProvider.flatMap((p) => [
    '',
    `${p.provider}:`,
    ...formatTotals(p.totals)
      .split('\n')
      .map((l) => `  ${l}`),
  ]);
  return [
    head,
    '',
    table,
    '',
    formatTotals(r.totals),
    ...perProvider,
    ...(reasons.length ? ['', 'why not excellent:', ...reasons] : []),
  ].join('\n');
}

const delta = (a: number | null, b: number | null, unit = '', digits = 0) => {
  if (a === null || b === null) return `${a ?? NA}→${b ?? NA}`;
  const d = b - a;
  return `${d > 0 ? '+' : ''}${d.toFixed(digits)}${unit}`;
};
const rate = (r: number | null) => (r === null ? null : Math.round(r * 100));

/** The per-idea and total differences from report `a` to report `b`. */
export function formatComparison(a: EvalReport, b: EvalReport, names: [string, string] = ['a', 'b']): string {
  const bs = new Map(b.games.map((g) => [gameKey(b, g), g]));
  const rows: string[][] = [];
  for (const ga of a.games) {
    const gb = bs.get(gameKey(a, ga));
    if (!gb) {
      rows.push([gameKey(a, ga), `${ga.verdict}→(absent)`, '', '', '', '']);
      continue;
    }
    rows.push([
      gameKey(a, ga),
      ga.verdict === gb.verdict ? ga.verdict : `${ga.verdict}→${gb.verdict}`,
      delta(ga.score, gb.score),
      delta(rate(ga.rubric.passRate), rate(gb.rubric.passRate), ' pts'),
      delta(ga.repairs, gb.repairs),
      delta(ga.seconds, gb.seconds, 's', 1),
    ]);
  }
  const inA = new Set(a.games.map((g) => gameKey(a, g)));
  for (const gb of b.games.filter((g) => !inA.has(gameKey(b, g))))
    rows.push([gameKey(b, gb), `(absent)→${gb.verdict}`, '', '', '', '']);
  const ta = a.totals;
  const tb = b.totals;
  const totals = [
    `excellent ${delta(ta.excellent, tb.excellent)}, usable ${delta(ta.usable, tb.usable)}, unusable ${delta(ta.unusable, tb.unusable)}, passed ${delta(ta.passed, tb.passed)}`,
    `mean score ${delta(ta.meanScore, tb.meanScore, '', 1)}; rubric pass rate ${delta(rate(ta.rubricPassRate), rate(tb.rubricPassRate), ' pts')}; repairs ${delta(ta.repairs, tb.repairs)}`,
    `tokens ${delta(ta.tokens ? ta.tokens.input + ta.tokens.output : null, tb.tokens ? tb.tokens.input + tb.tokens.output : null)}; cost ${delta(ta.costUsd, tb.costUsd, '', 4)}; game time ${delta(ta.gameSeconds, tb.gameSeconds, 's', 1)}; wall ${delta(a.wallSeconds, b.wallSeconds, 's', 1)}`,
  ];
  return [
    `compare ${names[0]} (${a.agent}${a.provider ? ` ${a.provider}` : ''}, ${a.suite}) → ${names[1]} (${b.agent}${b.provider ? ` ${b.provider}` : ''}, ${b.suite})`,
    '',
    grid(['idea', 'verdict', 'score Δ', 'rubric Δ', 'repairs Δ', 'time Δ'], rows),
    '',
    'totals:',
    ...totals.map((t) => `  ${t}`),
  ].join('\n');
}
