// `window.__game`: the play-testing surface the shell exposes (docs/framework.md,
// "window.__game"). Read-only views of the running game plus the shell's own
// actions; the play-tester and the browser tests drive games through it.

/**
 * @typedef {object} PlayShell   what the shell lends the surface: live readers and its actions
 * @property {() => string} state
 * @property {() => number} score
 * @property {() => number} best
 * @property {() => number} time
 * @property {() => number} prestigePoints
 * @property {() => number} firstFrameMs
 * @property {{ frames: number, steps: number, timeScale: number }} loop
 * @property {{ get(): number }} wallet
 * @property {{ list(): any[] }} upgrades
 * @property {{ muted: boolean }} sfx
 * @property {{ state: any }} game   the kit's running game (its public state)
 * @property {object} info   `{ title, genre, kit, seed, palette }`
 * @property {() => void} start
 * @property {() => void} restart
 * @property {() => void} pause
 * @property {() => void} resume
 * @property {(id: string) => boolean} buyUpgrade
 * @property {() => boolean} prestige
 */

/** @param {PlayShell} s */
export function createPlayApi(s) {
  const { loop } = s;
  return {
    get state() {
      return s.state();
    },
    get score() {
      return s.score();
    },
    get currency() {
      return s.wallet.get();
    },
    get best() {
      return s.best();
    },
    get frames() {
      return loop.frames;
    },
    get firstFrameMs() {
      return s.firstFrameMs();
    },
    get steps() {
      return loop.steps;
    },
    get time() {
      return s.time();
    },
    get kit() {
      return s.game.state;
    },
    get upgrades() {
      return s.upgrades.list();
    },
    get prestigePoints() {
      return s.prestigePoints();
    },
    get speed() {
      return loop.timeScale;
    },
    set speed(v) {
      // 0 holds the game still (the play-test reads a keypoint at an exact moment); at most 16× faster.
      const n = Number(v);
      loop.timeScale = Number.isFinite(n) ? Math.max(0, Math.min(16, n)) : 1;
    },
    get muted() {
      return s.sfx.muted;
    },
    info: s.info,
    start: s.start,
    restart: s.restart,
    pause: s.pause,
    resume: s.resume,
    buyUpgrade: s.buyUpgrade,
    prestige: s.prestige,
  };
}
