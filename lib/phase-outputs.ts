// Validation of what a phase produced, used by the worker (before a phase
// counts as done) and by the run-phase task (before it chains the next step).
import { DIST_MAX_BYTES, PHASE_OUTPUTS, describeZodError, type PhaseNumber } from './artifacts.ts';
import { CONFIG_PATH, checkConfigJs } from './game-config.ts';
import { writesDist } from './phases.ts';
import type { FileMap } from './workspace.ts';

/** Returns readable problems with `files` for `phase`; empty means valid. */
export function validatePhaseOutputs(phase: PhaseNumber, files: FileMap): string[] {
  const spec = PHASE_OUTPUTS[phase];
  const problems: string[] = [];
  for (const required of spec.required) if (!files.has(required)) problems.push(`${required}: missing`);
  if (spec.json && files.has(spec.json.path)) {
    let value: unknown;
    try {
      value = JSON.parse(files.get(spec.json.path)!.toString('utf8'));
    } catch (e) {
      problems.push(`${spec.json.path}: not valid JSON (${(e as Error).message})`);
    }
    if (value !== undefined) {
      const parsed = spec.json.schema.safeParse(value);
      if (!parsed.success) problems.push(`${spec.json.path}: ${describeZodError(parsed.error)}`);
    }
  }
  if (writesDist(phase) && files.has('dist/index.html')) problems.push(...validateDist(files));
  return problems;
}

/** The dist/ contract: index.html with a canvas, every local reference present, ≤ 1 MB, no remote URLs. */
export function validateDist(files: FileMap): string[] {
  const problems: string[] = [];
  const dist = [...files].filter(([p]) => p.startsWith('dist/'));
  const total = dist.reduce((n, [, b]) => n + b.length, 0);
  if (total > DIST_MAX_BYTES) problems.push(`dist/: ${total} bytes exceeds the ${DIST_MAX_BYTES}-byte limit`);
  const html = files.get('dist/index.html')!.toString('utf8');
  const hasCanvas =
    /<canvas[\s>]/i.test(html) || dist.some(([p, b]) => p.endsWith('.js') && b.includes("createElement('canvas')"));
  if (!hasCanvas) problems.push('dist/index.html: no <canvas> element');
  problems.push(...validateConfig(files, dist));
  for (const [p, bytes] of dist) {
    if (!/\.(html|js|mjs|css)$/.test(p)) continue;
    const text = bytes.toString('utf8');
    for (const ref of localReferences(text, p)) {
      if (/^(https?:)?\/\//i.test(ref)) problems.push(`${p}: references a remote URL (${ref.slice(0, 80)})`);
      else if (!files.has(ref)) problems.push(`${p}: references ${ref}, which is missing`);
    }
  }
  return problems;
}

/** A call of the framework shell (not its definition) means the game reads GAME_CONFIG. */
const BOOTS_SHELL = /(?<!function\s{1,4})\bbootGame\s*\(/;

/** dist/config.js against the game config schema, when present or when the game boots the framework shell. */
function validateConfig(files: FileMap, dist: Array<[string, Buffer]>): string[] {
  const source = files.get(CONFIG_PATH);
  if (!source) {
    const boots = dist.some(([p, b]) => /\.m?js$/.test(p) && BOOTS_SHELL.test(b.toString('utf8')));
    return boots
      ? [
          `${CONFIG_PATH}: missing (the game calls the framework's bootGame, which reads globalThis.GAME_CONFIG from it)`,
        ]
      : [];
  }
  return checkConfigJs(source.toString('utf8')).problems;
}

const REF_PATTERNS = [
  /\b(?:src|href)\s*=\s*["']([^"'#?]+)["']/gi,
  /\bimport\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];

function localReferences(text: string, fromPath: string): string[] {
  const refs = new Set<string>();
  const baseDir = fromPath.split('/').slice(0, -1);
  for (const re of REF_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const ref = m[1]!.trim();
      if (!ref || /^(data|blob|javascript|mailto):/i.test(ref)) continue;
      if (/^(https?:)?\/\//i.test(ref)) {
        refs.add(ref);
        continue;
      }
      refs.add(resolveRelative(baseDir, ref));
    }
  }
  return [...refs];
}

function resolveRelative(baseDir: string[], ref: string): string {
  const parts = ref.startsWith('/') ? ['dist'] : [...baseDir];
  for (const seg of ref.replace(/^\//, '').split('/')) {
    if (seg === '..') parts.length > 1 && parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}
