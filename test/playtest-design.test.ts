// What `gamepocgen playtest` reads beside a game (lib/playtest/design-file.ts) and how it
// reports the rubric (lib/playtest/cli-report.ts), without a browser: a workspace's
// design.json is found from dist/, an invalid one is skipped with the field named,
// a --keypoints file is read in its three shapes and refused with the field named.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { designDirsOf, KeypointsFileError, loadDesignExpectations } from '../lib/playtest/design-file.ts';
import { compactReport, summary } from '../lib/playtest/cli-report.ts';
import { Design } from '../lib/artifacts.ts';
import { PlaytestDocument } from '../lib/playtest/document.ts';
import { generateGame, type Generated } from '../support/generate-game.ts';

let ws: Generated;
let design: Design;
let scratch: string;
beforeAll(async () => {
  ws = await generateGame({ idea: 'a lighthouse keeper fighting sea monsters', genre: 'breakout', phases: [1, 2] });
  design = Design.parse(JSON.parse(ws.files.get('design.json')!.toString()));
  scratch = await mkdtemp(path.join(os.tmpdir(), 'gpg-playtest-design-'));
});
afterAll(async () => {
  await ws?.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

const write = async (name: string, value: unknown) => {
  const file = path.join(scratch, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

describe('the design beside a game', () => {
  it("finds a workspace's design.json from its dist/, with the idea's palette and the design's names", async () => {
    const found = await loadDesignExpectations({ searchDirs: designDirsOf(path.join(ws.dir, 'dist')) });
    expect(found).toMatchObject({ source: path.join(ws.dir, 'design.json'), warning: null });
    expect(found.expect.keypoints).toEqual(design.keypoints);
    expect(found.expect.names).toContain(design.title);
    expect(found.expect.palette).toHaveLength(1);
  });

  it('control: a folder with no design anywhere near gives no keypoints and no warning', async () => {
    const empty = path.join(scratch, 'lonely', 'dist');
    await mkdir(empty, { recursive: true });
    expect(await loadDesignExpectations({ searchDirs: designDirsOf(empty) })).toEqual({
      expect: { names: [], palette: [], keypoints: [] },
      source: null,
      warning: null,
    });
  });

  it('skips an invalid design.json with a warning naming the field (the game is still judged)', async () => {
    const broken = { ...design, keypoints: [{ ...design.keypoints[0], id: 'Not Kebab' }] };
    const file = await write('broken/design.json', broken);
    const found = await loadDesignExpectations({ searchDirs: [path.dirname(file)] });
    expect(found.expect.keypoints).toEqual([]);
    expect(found.warning).toMatch(/design\.json: keypoints\.0\.id: must be a lowercase kebab-case id/);
    expect(found.warning).toMatch(/judged without its keypoints$/);
  });
});

describe('--keypoints FILE', () => {
  it('reads a design.json, { keypoints } or a bare array', async () => {
    const one = design.keypoints.slice(0, 2);
    for (const value of [design, { keypoints: one }, one]) {
      const file = await write('kp.json', value);
      const r = await loadDesignExpectations({ keypointsFile: file, searchDirs: [ws.dir] });
      expect(r.source).toBe(file);
      expect(r.expect.keypoints).toEqual(value === design ? design.keypoints : one);
    }
  });

  it('refuses a file it cannot use, naming the file and the field', async () => {
    const cases: [unknown, RegExp][] = [
      ['{ not json', /is not JSON/],
      [[], /holds no valid keypoints .*keypoints: /],
      [
        { keypoints: [{ ...design.keypoints[0], expect: { watch: 'score', change: 'grows' } }] },
        /keypoints\.0\.expect\.change/,
      ],
      [{ ...design, checklist: { coreVerb: 3 } }, /is not a valid design: checklist\./],
    ];
    for (const [value, message] of cases) {
      const file = await write('bad.json', value);
      const err = await loadDesignExpectations({ keypointsFile: file, searchDirs: [] }).catch((e) => e);
      expect(err, String(message)).toBeInstanceOf(KeypointsFileError);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(file);
    }
    await expect(
      loadDesignExpectations({ keypointsFile: path.join(scratch, 'absent.json'), searchDirs: [] }),
    ).rejects.toThrow(/cannot read --keypoints .*absent\.json: ENOENT/);
  });
});

describe('the rubric in the summary and the compact report', () => {
  const doc = PlaytestDocument.parse({
    version: 2,
    round: 1,
    url: 'http://127.0.0.1:1/',
    at: new Date(0).toISOString(),
    durationMs: 1000,
    score: 40,
    passed: false,
    checks: [
      { id: 'loads', required: true, passed: true, weight: 10, message: 'loads', evidence: {} },
      { id: 'inputReal', required: true, passed: false, weight: 15, message: 'Space does nothing', evidence: { n: 1 } },
    ],
    couldNotCheck: [],
    defects: ['Space does nothing'],
    errors: [],
    foreignRequests: [],
    servedAs: [{ mode: 'own-origin', url: 'http://127.0.0.1:1/' }],
    seed: 1,
    inputScript: [],
    trace: [],
    console: [],
    screenshots: ['own-origin-end.png'],
    rubric: [
      { id: 'launch', text: 'Space launches the ball', passed: false, evidence: 'expected kit.launched equals true' },
      { id: 'left', text: 'ArrowLeft moves', passed: true, evidence: 'kit.paddle.x: 480 → 400' },
      { id: 'never', text: 'not played', passed: null, evidence: 'not verified: no window.__game' },
    ],
  });

  it('lists each keypoint with its evidence and counts only the verified ones', () => {
    const text = summary(doc, 'design.json');
    expect(text).toMatch(/^keypoints of design\.json: 1\/2 verified hold$/m);
    expect(text).toMatch(/^MISS {2}launch {13}Space launches the ball: expected kit\.launched equals true$/m);
    expect(text).toMatch(/^OK {4}left /m);
    expect(text).toMatch(/^N\/A {3}never /m);
  });

  it('compact: the verdict, the failed checks with reasons, the rubric and the evidence paths', () => {
    const files = { document: 'out/playtest.json', screenshots: ['out/own-origin-end.png'] };
    expect(compactReport(doc, files, 'design.json')).toEqual({
      verdict: 'failed',
      score: 40,
      failedChecks: [{ id: 'inputReal', required: true, message: 'Space does nothing', evidence: '{"n":1}' }],
      passedChecks: ['loads'],
      couldNotCheck: [],
      errors: [],
      foreignRequests: [],
      rubric: { from: 'design.json', passed: 1, verified: 2, total: 3, keypoints: doc.rubric },
      files,
    });
  });
});
