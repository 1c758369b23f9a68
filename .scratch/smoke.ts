import path from 'node:path';
import { generateGame } from '../test/builtin/generate.ts';
import { serveGameDir } from '../bin/serve-game-dir.ts';
import { judgeGame } from '../lib/playtest/judge.ts';
import { chromium } from 'playwright-core';
const genre = process.argv[2] ?? 'arena-shooter';
const dir = process.argv[3];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
let root = dir;
if (!root) { const g = await generateGame({ idea: 'robots blast alien slimes', seed: 42, genre: genre as any }); root = path.join(g.dir, 'dist'); }
const s = await serveGameDir(root);
const t0 = Date.now();
const r = await judgeGame(browser, [{ mode: 'own-origin', url: s.url }, { mode: 'sandboxed', url: s.sandboxUrl }], {});
console.log('wall', Date.now() - t0, 'score', r.document.score, 'passed', r.document.passed);
for (const c of r.document.checks) console.log(c.passed ? 'PASS' : 'FAIL', c.id, '-', c.message);
for (const u of r.document.couldNotCheck) console.log('N/A ', u.id, '-', u.why);
if (process.env.V) console.log(JSON.stringify(r.document.checks.find(c=>c.id==='inputReal')?.evidence, null, 1));
await s.close(); await browser.close();
