// Every phase prompt rendered the way production renders it: from the files the
// worker image holds (Dockerfile.worker's COPY lines and .dockerignore, applied
// by test/helpers/image-layout.ts), not from the repository checkout. The guide
// and the game contract must be there, and the prompt must be the same as in the
// repository layout; a Dockerfile that stops shipping the guide is caught.
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhaseNumber } from '../../lib/artifacts.ts';
import { ROOT_DIR } from '../../lib/config.ts';
import { renderPhasePrompt } from '../../lib/prompts.ts';
import { PROMPT_INPUT as INPUT } from '../fixtures/scenarios/artifacts.ts';
import { contextCopies, dockerignore, materialiseImageApp } from '../helpers/image-layout.ts';

const PHASES = [1, 2, 3, 4, 5] as const;
const WS = '/workspace/job-1';
const CONTRACT = [
  '## The game contract',
  '### Files and limits',
  '### Serving',
  '### Play-test contract',
  '### Game config (`dist/config.js`)',
];
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

let tmp: string;
let dockerfile: string;
let ignore: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gpg-image-layout-'));
  dockerfile = await readFile(path.join(ROOT_DIR, 'Dockerfile.worker'), 'utf8');
  ignore = await readFile(path.join(ROOT_DIR, '.dockerignore'), 'utf8');
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const render = (phase: PhaseNumber, app: string) =>
  renderPhasePrompt({
    phase,
    workspaceDir: WS,
    frameworkDir: path.join(app, 'framework'),
    promptsDir: path.join(app, 'prompts'),
    input: INPUT,
    playtest: phase === 5 ? { score: 40, checks: [{ name: 'canvas drawn', ok: false }] } : undefined,
  });

const apps = new Map<string, Promise<{ app: string; files: string[] }>>();
/** /app as the image holds it, built (once per name) from `context` with `dockerfileText`. */
function imageApp(
  name: string,
  context: string,
  dockerfileText = dockerfile,
): Promise<{ app: string; files: string[] }> {
  if (!apps.has(name)) {
    const app = path.join(tmp, name, 'app');
    apps.set(
      name,
      materialiseImageApp(context, app, dockerfileText, ignore).then((files) => ({ app, files })),
    );
  }
  return apps.get(name)!;
}

let fixture: Promise<{ app: string; files: string[] }> | undefined;
/** A build context made of the frozen fixture framework and guide plus the real prompts, in the image layout. */
function fixtureApp() {
  fixture ??= (async () => {
    const context = path.join(tmp, 'fixture-context');
    await mkdir(context, { recursive: true });
    await cp(path.join(FIXTURES, 'framework'), path.join(context, 'framework'), { recursive: true });
    await cp(path.join(FIXTURES, 'docs'), path.join(context, 'docs'), { recursive: true });
    await cp(path.join(ROOT_DIR, 'prompts'), path.join(context, 'prompts'), { recursive: true });
    return imageApp('fixture', context);
  })();
  return fixture;
}

describe('the image layout helper reads Dockerfile.worker and .dockerignore as docker does', () => {
  it('finds the final stage’s context copies, not the deps stage’s', () => {
    const copies = contextCopies(dockerfile);
    expect(copies.map((c) => c.sources.join(' '))).toEqual(
      expect.arrayContaining(['package.json', 'worker', 'lib', 'prompts', 'framework', 'docs/framework.md']),
    );
    expect(copies.every((c) => c.dest.startsWith('/app'))).toBe(true);
    expect(copies.some((c) => c.sources.includes('package-lock.json'))).toBe(false); // deps stage
  });

  it('applies exclusions and re-inclusions (last match wins)', () => {
    const ignored = dockerignore(ignore);
    expect(ignored('docs/framework.md')).toBe(false);
    expect(ignored('docs/llm.md')).toBe(true);
    expect(ignored('test/claude/prompts.test.ts')).toBe(true);
    expect(ignored('node_modules/zod/package.json')).toBe(true);
    expect(ignored('.env.local')).toBe(true);
    expect(ignored('.env.example')).toBe(false);
    expect(ignored('lib/prompts.ts')).toBe(false);
  });
});

describe('prompts rendered in the worker image layout', () => {
  it('the image ships the guide and the prompt templates, and no other docs', async () => {
    const { files } = await imageApp('repo', ROOT_DIR);
    expect(files).toContain('docs/framework.md');
    expect(files).toContain('prompts/_contract.md');
    expect(files).toContain('framework/kit.js');
    expect(files.filter((f) => f.startsWith('docs/'))).toEqual(['docs/framework.md']);
    expect(files.some((f) => f.startsWith('test/'))).toBe(false);
  });

  it.each(PHASES)(
    'phase %i carries the contract (and for 3–5 the guide) and equals the repository render',
    async (phase) => {
      const { app } = await imageApp('repo', ROOT_DIR);
      const image = await render(phase, app);
      for (const heading of CONTRACT) expect(image, heading).toContain(`\n${heading}\n`);
      expect(image).toContain('`window.__game`');
      expect(image).toContain('| `howToPlay` | array of string | yes |');
      if (phase >= 3) {
        expect(image).toContain('### Guide (docs/framework.md)');
        expect(image).toContain('#### `window.__game` (for play-testing)');
        expect(image).toContain('Shell keys (every kit)');
      }
      const repo = await render(phase, ROOT_DIR);
      expect(image.replaceAll(app, ROOT_DIR)).toBe(repo);
    },
  );

  it('a Dockerfile without the guide line loses the guide (the check can fail)', async () => {
    const without = dockerfile.replace(/^COPY docs\/framework\.md .*$/m, '');
    expect(without).not.toBe(dockerfile);
    const { app } = await imageApp('no-guide', ROOT_DIR, without);
    const prompt = await render(4, app);
    expect(prompt).not.toContain('### Guide (docs/framework.md)');
    expect(prompt.length).toBeLessThan((await render(4, ROOT_DIR)).length - 10_000);
  });

  it.each(PHASES)('phase %i renders to its snapshot in the image layout (fixture framework)', async (phase) => {
    const { app } = await fixtureApp();
    const prompt = (await render(phase, app)).replaceAll(path.join(app, 'framework'), '<framework>');
    await expect(prompt).toMatchFileSnapshot(`./__snapshots__/prompt-image-${phase}.md`);
    // The repository-layout snapshot (prompts.test.ts) is the same text.
    expect(prompt).toBe(await readFile(path.join(import.meta.dirname, '__snapshots__', `prompt-${phase}.md`), 'utf8'));
  });
});
