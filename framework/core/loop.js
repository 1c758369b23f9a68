// Fixed-timestep game loop: simulation advances in equal steps (stable physics,
// reproducible play) while rendering happens once per animation frame.

/**
 * @typedef {object} Loop
 * @property {() => void} start
 * @property {() => void} stop
 * @property {(frameTime: number) => number} tick  advance by one animation frame at time `frameTime` (ms); returns steps run
 * @property {number} frames      animation frames rendered so far
 * @property {number} steps       simulation steps run so far
 * @property {number} timeScale   1 = real time; tests may speed games up
 * @property {boolean} running
 */

/**
 * @param {object} options
 * @param {(dt: number) => void} options.update  one simulation step of `dt` seconds
 * @param {(alpha: number) => void} options.render  draw; alpha = fraction of a step left over
 * @param {number} [options.stepSeconds=1/60]
 * @param {number} [options.maxStepsPerFrame=8]  avoids a "spiral of death" after a stall
 * @param {(cb: (t: number) => void) => any} [options.requestFrame]
 * @param {(handle: any) => void} [options.cancelFrame]
 * @returns {Loop}
 */
export function createLoop({ update, render, stepSeconds = 1 / 60, maxStepsPerFrame = 8, requestFrame, cancelFrame }) {
  const raf = requestFrame ?? ((cb) => globalThis.requestAnimationFrame(cb));
  const caf = cancelFrame ?? ((h) => globalThis.cancelAnimationFrame(h));
  let last = -1;
  let acc = 0;
  let handle = null;

  /** @type {Loop} */
  const loop = {
    frames: 0,
    steps: 0,
    timeScale: 1,
    running: false,
    tick(frameTime) {
      if (last < 0) last = frameTime;
      // Clamp long gaps (tab in background) so the game does not fast-forward.
      const elapsed = Math.min(0.25, Math.max(0, (frameTime - last) / 1000));
      last = frameTime;
      acc += elapsed * loop.timeScale;
      let steps = 0;
      const limit = maxStepsPerFrame * Math.max(1, Math.ceil(loop.timeScale));
      while (acc >= stepSeconds && steps < limit) {
        update(stepSeconds);
        acc -= stepSeconds;
        steps++;
      }
      if (steps === limit) acc = 0;
      loop.steps += steps;
      render(acc / stepSeconds);
      loop.frames++;
      return steps;
    },
    start() {
      if (loop.running) return;
      loop.running = true;
      last = -1;
      const frame = (t) => {
        if (!loop.running) return;
        loop.tick(t);
        handle = raf(frame);
      };
      handle = raf(frame);
    },
    stop() {
      loop.running = false;
      if (handle !== null) caf(handle);
      handle = null;
    },
  };
  return loop;
}
