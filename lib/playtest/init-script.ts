// The script the judge adds to every page before the game's own scripts run.
// It makes a session reproducible and observable from outside the game:
// - Math.random is seeded (mulberry32), so the baseline and the input run draw the same numbers;
// - a virtual clock (performance.now, Date.now, requestAnimationFrame timestamps, setTimeout and
//   setInterval delays) runs `scale` times faster than the wall clock: accelerated game time for
//   any game, with or without the framework; or, for the controls test, advances exactly 1/60 s
//   per frame for a budget of frames and then stands still;
// - every animation frame is counted and the longest wall-clock gap between two frames kept
//   (a frozen loop), and CSP violations are recorded (blocked requests never reach the network).
// Serialised by Playwright: it must not reference anything outside its body.

export interface JudgeProbe {
  frames: number;
  /** Wall-clock ms (page time origin) of the first frame, or -1. */
  firstFrameWall: number;
  /** Wall-clock ms since the last frame (Infinity before the first). */
  sinceLastFrame: number;
  /** Longest gap between two frames since the last `resetGaps()`, wall-clock ms. */
  maxGap: number;
  violations: string[];
  /** Game seconds elapsed on the virtual clock since the page was opened. */
  gameSeconds: number;
}

export function judgeInit(seed: number): void {
  const w = window as any;
  let s = seed >>> 0;
  Math.random = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const realNow = performance.now.bind(performance);
  let scale = 1;
  let base = realNow();
  let virt = base;
  // Frame-budget mode (budget >= 0): time stands still except for a fixed 1/60 s per frame
  // while the budget lasts, so two runs see exactly the same game time whatever the machine's load.
  let budget = -1;
  const vnow = () => (budget >= 0 ? virt : virt + (realNow() - base) * scale);
  const dateOffset = Date.now() - realNow();
  let firstFrameWall = -1;
  let lastFrameWall = -1;
  let lastSeen = -1;
  let maxGap = 0;
  const violations: string[] = [];
  const judge = {
    frames: 0,
    setScale(v: number) {
      virt = vnow();
      base = realNow();
      scale = v;
      budget = -1;
    },
    /** Enters frame-budget mode: the next `n` frames advance time by 1/60 s each, then it stands still. */
    runFrames(n: number) {
      if (budget < 0) virt = vnow();
      budget = n;
    },
    get budget() {
      return budget;
    },
    /** Forget the gap in progress (a screenshot or a resize stalls frames; that is the judge's doing). */
    skipGap() {
      lastFrameWall = -1;
    },
    resetGaps() {
      maxGap = 0;
      lastFrameWall = -1;
    },
    read() {
      const now = realNow();
      return {
        frames: judge.frames,
        firstFrameWall,
        sinceLastFrame: lastSeen < 0 ? Number.POSITIVE_INFINITY : now - lastSeen,
        maxGap,
        violations: violations.slice(0, 50),
        gameSeconds: vnow() / 1000,
      };
    },
  };
  Object.defineProperty(w, '__judge', { value: judge, enumerable: false });
  performance.now = vnow;
  Date.now = () => Math.floor(dateOffset + vnow());
  const raf = w.requestAnimationFrame.bind(w);
  w.requestAnimationFrame = (cb: (t: number) => void) =>
    raf(() => {
      const now = realNow();
      if (firstFrameWall < 0) firstFrameWall = now;
      if (lastFrameWall >= 0 && now - lastFrameWall > maxGap) maxGap = now - lastFrameWall;
      lastFrameWall = now;
      lastSeen = now;
      judge.frames++;
      if (budget > 0) {
        virt += 1000 / 60;
        budget--;
      }
      cb(vnow());
    });
  const st = w.setTimeout.bind(w);
  const si = w.setInterval.bind(w);
  w.setTimeout = (fn: unknown, d?: number, ...a: unknown[]) => st(fn, (Number(d) || 0) / scale, ...a);
  w.setInterval = (fn: unknown, d?: number, ...a: unknown[]) => si(fn, Math.max(1, (Number(d) || 0) / scale), ...a);
  document.addEventListener('securitypolicyviolation', (e) => {
    if (violations.length < 50) violations.push(`${e.violatedDirective}: ${e.blockedURI}`);
  });
}
