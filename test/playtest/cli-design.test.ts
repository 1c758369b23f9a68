// `gamepocgen playtest` inside a phase workspace, as the build and repair agents run it
// (real CLI process, real Chromium, a workspace the builtin agent wrote): it finds the
// design's keypoints beside dist/ and reports their rubric; --compact prints the short
// JSON with the paths of the evidence it wrote; --keypoints checks a file of keypoints
// (one the game does not meet must show as failed), and an unusable file stops it.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveGameDir } from '../../bin/serve-game-dir.ts';
import { Design } from '../../lib/artifacts.ts';
import { PlaytestDocument } from '../../lib/playtest/document.ts';
import { generateGame, type Generated } from '../../support/generate-game.ts';
import { chromiumAvailable } from '../browser/harness.ts';
import { cliIn } from './playtest-cli.ts';

describe.skipIf(!chromiumAvailable())('gamepocgen playtest with the design keypoints', { timeout: 300_000 }, () => {
  let ws: Generated;
  let design: Design;
  beforeAll(async () => {
    ws = await generateGame({ idea: 'a lighthouse keeper fighting sea monsters', genre: 'runner', seed: 5 });
    design = Design.parse(JSON.parse(ws.files.get('design.json')!.toString()));
  });
  afterAll(() => ws?.cleanup());

  it('run in the workspace on dist/ with --compact: the rubric of its own design.json, and the evidence files', async () => {
    const r = await cliIn(ws.dir, 'dist/', '--compact', '--seconds', '8');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      verdict: 'passed',
      rubric: { from: 'design.json', total: design.keypoints.length, verified: design.keypoints.length },
      files: { document: 'playtest-local/playtest.json' },
    });
    expect(report.rubric.passed).toBe(design.keypoints.length);
    expect(report.rubric.keypoints.map((k: { id: string }) => k.id)).toEqual(design.keypoints.map((k) => k.id));
    expect(report.passedChecks).toContain('inputReal');
    // Only minor checks can fail on a passed game; each failed one carries its reason and evidence.
    for (const c of report.failedChecks) expect(c).toMatchObject({ required: false, message: expect.any(String) });
    // The short report is a fraction of the document it points at, which holds the same verdict.
    const doc = PlaytestDocument.parse(JSON.parse(await readFile(path.join(ws.dir, report.files.document), 'utf8')));
    expect(doc.rubric).toHaveLength(design.keypoints.length);
    expect(r.stdout.length).toBeLessThan(JSON.stringify(doc).length / 3);
    expect(report.files.screenshots.length).toBeGreaterThan(0);
    for (const shot of report.files.screenshots) expect(existsSync(path.join(ws.dir, shot)), shot).toBe(true);
  });

  it('--keypoints names the keypoints to check: one the game does not meet is a MISS in the summary', async () => {
    const file = path.join(ws.dir, 'extra-keypoints.json');
    const jump = design.keypoints.find((k) => k.id === 'jump')!;
    const wrongKey = { ...jump, id: 'q-jumps', text: 'Q makes the keeper jump', act: { ...jump.act, keys: ['KeyQ'] } };
    await writeFile(file, JSON.stringify({ keypoints: [jump, wrongKey] }));
    const served = await serveGameDir(path.join(ws.dir, 'dist'));
    try {
      const r = await cliIn(ws.dir, served.url, '--keypoints', file, '--seconds', '8');
      expect(r.code).toBe(0); // the rubric is reported beside the verdict, it does not decide it
      expect(r.stdout).toMatch(/^keypoints of extra-keypoints\.json: 1\/2 verified hold$/m);
      expect(r.stdout).toMatch(/^OK {4}jump {15}/m);
      expect(r.stdout).toMatch(/^MISS {2}q-jumps {12}Q makes the keeper jump: expected kit\.player\.y falls; saw /m);
    } finally {
      await served.close();
    }
  });

  it('exits 2 with the field named when --keypoints is unusable, before playing anything', async () => {
    const bad = path.join(ws.dir, 'bad-keypoints.json');
    await writeFile(bad, JSON.stringify([{ id: 'Jump!', text: 'x', act: {}, expect: { watch: 'score' } }]));
    const r = await cliIn(ws.dir, 'dist/', '--keypoints', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--keypoints .*bad-keypoints\.json holds no valid keypoints .*keypoints\.0\.id: /);
    expect(r.stderr).toMatch(/0\.expect\.change/);
    const missing = await cliIn(ws.dir, 'dist/', '--keypoints', 'nope.json');
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^cannot read --keypoints .*nope\.json: ENOENT/),
    });
  });
});
