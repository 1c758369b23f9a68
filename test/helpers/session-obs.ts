// A session's observations of a game every check passes (good()), and the document metadata, for the
// tests that judge observations without a browser (lib/playtest/judge.ts documentOf).
import type { SessionObs } from '../../lib/playtest/session.ts';

const grid = (shift: number) => Array.from({ length: 48 * 27 * 3 }, (_, i) => ((i * 7 + shift) % 200) + (i % 3));
export const picture = (shift = 0) => ({
  colours: 40,
  grid: grid(0).map((v, i) => (i < 30 ? v + shift : v)),
  canvasShare: 0.6,
  common: [],
});

export function good(over: Partial<SessionObs> = {}): SessionObs {
  return {
    mode: 'own-origin',
    url: 'http://gamedemo3.localhost:3000/',
    light: false,
    csp: 'server',
    unresponsive: null,
    foreign: [],
    violations: [],
    hasGame: true,
    frames: 30,
    firstFrameMs: 120,
    playFromMs: 2000,
    titleText: 'Rock Dodger Arrow keys move the ship. Space fires.',
    endText: 'Score 42',
    pictures: [picture(), picture(40), picture(), picture(), picture(40), picture()],
    fits: [
      { viewport: '1280×800', scrolls: false, canvasInside: true, canvas: { x: 0, y: 0, width: 960, height: 540 } },
      { viewport: '390×844', scrolls: false, canvasInside: true, canvas: { x: 0, y: 0, width: 390, height: 219 } },
    ],
    start: { before: 'title', after: 'playing', byInput: true },
    idle: {
      gameSeconds: 26,
      instantDeathAt: null,
      endedAt: 14,
      ended: 'lost',
      livesLost: true,
      progress: [],
      movedCells: 60,
      movedPaths: ['kit.enemies'],
    },
    declared: [
      { label: 'arrow keys', keys: ['ArrowLeft'], pointer: false },
      { label: 'Space', keys: ['Space'], pointer: false },
    ],
    controls: [
      { label: 'ArrowLeft', control: 'arrow keys', declared: true, effect: ['kit.player.x'], inconclusive: false },
      { label: 'Space', control: 'Space', declared: true, effect: ['kit.bullets'], inconclusive: false },
      { label: 'KeyJ', control: 'KeyJ', declared: false, effect: [], inconclusive: false },
    ],
    play: {
      gameSeconds: 24,
      wallMs: 6100,
      maxGapMs: 40,
      stalledMs: 16,
      framesDuring: 360,
      ends: ['lost at 12 s'],
      livesLost: true,
      worldPaths: ['kit.enemies'],
      progress: [],
    },
    hud: { score: 42, currency: 0, text: 'Score 42' },
    rec: { openedAt: 0, mode: 'own-origin', console: [], errors: [], inputScript: [], trace: [], shots: [] },
    ...over,
  };
}
export const meta = { round: 1, seed: 1, at: new Date('2026-11-01T10:00:00Z'), durationMs: 9000.4 };
