// The checks about what the player sees: a real picture (not blank, noise or
// text only), the fit at desktop and phone sizes, a HUD that shows what
// window.__game reports, and the design's names and palette. Pure.
import type { JudgeExpectations, Judged, Unchecked } from './checks.ts';
import { changedCells, GRID } from './page-probes.ts';
import type { SessionObs } from './session.ts';

/** Fewer distinct colours than this is a blank or flat canvas. */
export const MIN_COLOURS = 4;
/** A canvas covering less of the viewport than this does not make the page a game picture. */
export const MIN_CANVAS_SHARE = 0.05;
/** Share of the picture changing between frames ~110 ms apart, every time, that reads as noise. */
export const NOISE_SHARE = 0.6;

export function lookChecks(main: SessionObs, results: Judged, unchecked: Unchecked[], expect: JudgeExpectations) {
  const pics = main.pictures;
  const cells = GRID.cols * GRID.rows;
  const shares: number[] = [];
  for (let i = 1; i < pics.length; i++)
    if (i !== 3) shares.push(changedCells(pics[i - 1]!.grid, pics[i]!.grid).size / cells);
  const colours = Math.max(0, ...pics.map((p) => p.colours));
  const canvasShare = Math.max(0, ...pics.map((p) => p.canvasShare));
  const evidence = { colours, canvasShare: round2(canvasShare), changeShares: shares.map(round2) };
  const text = main.endText || main.titleText;
  if (canvasShare < MIN_CANVAS_SHARE)
    results.picture = {
      passed: false,
      message: `text only: no canvas covers ${MIN_CANVAS_SHARE * 100}% of the viewport (largest ${round2(canvasShare * 100)}%); the page shows ${text.length} characters of text`,
      evidence,
    };
  else if (colours < MIN_COLOURS)
    results.picture = {
      passed: false,
      message: `the canvas is blank or flat: at most ${colours} distinct colour(s) at the title and after play`,
      evidence,
    };
  else if (shares.length >= 4 && shares.every((s) => s >= NOISE_SHARE))
    results.picture = {
      passed: false,
      message: `noise: ${shares.map((s) => `${Math.round(s * 100)}%`).join(', ')} of the picture changed between frames ~110 ms apart (title and after play), so nothing on screen holds still long enough to be seen`,
      evidence,
    };
  else
    results.picture = {
      passed: true,
      message: `${colours} colours; the picture holds structure between frames`,
      evidence,
    };

  if (main.fits.length) {
    const bad = main.fits.filter((f) => f.scrolls || f.canvasInside === false);
    results.fits = bad.length
      ? {
          passed: false,
          message: bad
            .map(
              (f) =>
                `at ${f.viewport}: ${[f.scrolls && 'the page scrolls', f.canvasInside === false && `the canvas (${f.canvas!.width}×${f.canvas!.height} at ${f.canvas!.x},${f.canvas!.y}) is not fully visible`].filter(Boolean).join(' and ')}`,
            )
            .join('; '),
          evidence: { fits: main.fits },
        }
      : { passed: true, message: 'fits 1280×800 and 390×844 without scrolling', evidence: { fits: main.fits } };
  }

  if (!main.hasGame)
    unchecked.push({
      id: 'hudMatches',
      why: 'no window.__game: there is no reported score or currency to compare with the HUD',
    });
  else if (main.hud) {
    const shown = (n: number) => forms(n).some((f) => main.hud!.text.includes(f));
    const nums = [
      ['score', main.hud.score],
      ['currency', main.hud.currency],
    ].filter(([, n]) => (n as number) >= 1) as [string, number][];
    const hidden = nums.filter(([, n]) => !shown(n));
    if (!nums.length)
      unchecked.push({
        id: 'hudMatches',
        why: 'window.__game reported score 0 and currency 0 at the end: nothing to find in the HUD',
      });
    else
      results.hudMatches = hidden.length
        ? {
            passed: false,
            message: `window.__game reports ${hidden.map(([k, n]) => `${k} ${n}`).join(' and ')} but the page's text does not show ${hidden.length > 1 ? 'them' : 'it'} (a HUD drawn only on the canvas cannot be read by the judge)`,
            evidence: { reported: nums, text: main.hud.text.slice(0, 300) },
          }
        : {
            passed: true,
            message: `the HUD shows ${nums.map(([k, n]) => `${k} ${n}`).join(' and ')}`,
            evidence: { reported: nums },
          };
  }

  if (!expect.names?.length && !expect.palette?.length)
    unchecked.push({
      id: 'matchesIdea',
      why: "no design was given (names, palette): the game can't be compared with its idea",
    });
  else {
    const seen = `${main.titleText} ${main.endText}`.toLowerCase();
    const missing = (expect.names ?? []).filter((n) => n.trim() && !seen.includes(n.trim().toLowerCase()));
    const present = new Set(pics.flatMap((p) => p.common));
    const palette = expect.palette ?? [];
    const absent = palette.filter((hex) => !nearPresent(hex, present));
    const paletteOk = !palette.length || absent.length <= palette.length / 2;
    results.matchesIdea =
      missing.length || !paletteOk
        ? {
            passed: false,
            message: [
              missing.length &&
                `the design's names ${missing.map((n) => `"${n}"`).join(', ')} never appear in the visible text`,
              !paletteOk && `the palette colours ${absent.join(', ')} do not appear in the canvas`,
            ]
              .filter(Boolean)
              .join('; '),
            evidence: { missing, absent },
          }
        : { passed: true, message: "the design's names and palette appear in the game", evidence: { absent } };
  }
}

/** How a number may be written in a HUD: 1234, 23 for 23.4, 10.8, 1,234, 1.23K. */
export function forms(n: number): string[] {
  const i = Math.floor(n);
  const out = [String(i), String(Math.round(n)), n.toFixed(1), i.toLocaleString('en-US')];
  const units = ['K', 'M', 'B', 'T'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  if (u >= 0) out.push(`${v.toFixed(2)}${units[u]}`, `${v.toFixed(1)}${units[u]}`, `${Math.floor(v)}${units[u]}`);
  return out;
}

function nearPresent(hex: string, present: Set<number>): boolean {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return true;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h!, 16) >> 3) as [number, number, number];
  for (const q of present)
    if (Math.abs((q >> 10) - r) <= 2 && Math.abs(((q >> 5) & 31) - g) <= 2 && Math.abs((q & 31) - b) <= 2) return true;
  return false;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
