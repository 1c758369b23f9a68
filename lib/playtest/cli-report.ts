// What `gamepocgen playtest` prints: the human summary (default), or with --compact
// a short JSON a model reads in one go (the verdict, every failed check with its
// reason, the keypoint rubric, and where the full document and screenshots are);
// --json prints the whole play-test document (lib/playtest/document.ts).
import type { PlaytestDocument } from './document.ts';

/** Evidence of one run written to disk (--out), as paths the reader can open. */
export interface EvidenceFiles {
  document: string;
  screenshots: string[];
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** A check's evidence as one line of JSON, short enough to read; the document holds all of it. */
const evidenceLine = (e: Record<string, unknown>) => clip(JSON.stringify(e), 400);

/** Passed/verified/total keypoints: a keypoint the judge could not play (passed null) is not verified. */
export function rubricCounts(rubric: PlaytestDocument['rubric']) {
  const verified = rubric.filter((r) => r.passed !== null);
  return { passed: verified.filter((r) => r.passed).length, verified: verified.length, total: rubric.length };
}

/** The human summary: one line per check and keypoint, what could not be checked, the verdict and the score. */
export function summary(d: PlaytestDocument, keypointsFrom: string | null = null): string {
  const lines = [`play-test of ${d.servedAs.map((s) => `${s.url} (${s.mode})`).join(', ')}`, ''];
  for (const c of d.checks)
    lines.push(`${c.passed ? 'PASS' : c.required ? 'FAIL' : 'WARN'}  ${c.id.padEnd(18)} ${c.message}`);
  for (const u of d.couldNotCheck) lines.push(`N/A   ${u.id.padEnd(18)} ${u.why}`);
  if (d.rubric.length) {
    const n = rubricCounts(d.rubric);
    lines.push('', `keypoints${keypointsFrom ? ` of ${keypointsFrom}` : ''}: ${n.passed}/${n.verified} verified hold`);
    for (const r of d.rubric)
      lines.push(
        `${r.passed === null ? 'N/A ' : r.passed ? 'OK  ' : 'MISS'}  ${r.id.padEnd(18)} ${r.text}: ${r.evidence}`,
      );
  }
  lines.push('', `${d.passed ? 'PASSED' : 'FAILED'}  score ${d.score}/100  (${(d.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}

/** The --compact report: what a model needs to decide its next edit, and where the rest is. */
export function compactReport(d: PlaytestDocument, files: EvidenceFiles | null, keypointsFrom: string | null) {
  const failed = d.checks.filter((c) => !c.passed);
  return {
    verdict: d.passed ? 'passed' : 'failed',
    score: d.score,
    failedChecks: failed.map((c) => ({
      id: c.id,
      required: c.required,
      message: c.message,
      evidence: evidenceLine(c.evidence),
    })),
    passedChecks: d.checks.filter((c) => c.passed).map((c) => c.id),
    couldNotCheck: d.couldNotCheck.map((u) => `${u.id}: ${u.why}`),
    errors: d.errors.slice(0, 5).map((e) => clip(e, 300)),
    foreignRequests: d.foreignRequests.slice(0, 5),
    rubric: {
      from: keypointsFrom,
      ...rubricCounts(d.rubric),
      keypoints: d.rubric.map((r) => ({ id: r.id, passed: r.passed, text: r.text, evidence: r.evidence })),
    },
    files: files ?? { document: null, screenshots: [] },
  };
}
