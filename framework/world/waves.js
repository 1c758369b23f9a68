// Wave director: rising difficulty as a schedule. Wave n spawns count(n)
// enemies spaced `spacing(n)` seconds apart; the next wave starts after the
// field is clear (or a breather runs out), up to `total` waves.

/**
 * @typedef {object} WaveOptions
 * @property {number} total                       waves to win
 * @property {(wave: number) => number} count     enemies in wave n (1-based)
 * @property {(wave: number) => number} spacing   seconds between spawns in wave n
 * @property {number} [breather=2]                seconds of calm between waves
 * @property {(wave: number, index: number) => void} onSpawn
 * @property {(wave: number) => void} [onWaveStart]
 * @property {(wave: number) => void} [onWaveCleared]
 */

/**
 * @typedef {object} WaveDirector
 * @property {number} wave         current wave (1-based; 0 before the first)
 * @property {number} remaining    spawns still to come in the current wave
 * @property {boolean} finished    every wave spawned and cleared
 * @property {(dt: number, alive: number) => void} update  `alive` = enemies still on the field
 * @property {() => void} skipBreather   start the next wave now
 * @property {() => void} reset
 * @property {number} breatherLeft
 */

/** @param {WaveOptions} options @returns {WaveDirector} */
export function createWaves(options) {
  const breather = options.breather ?? 2;
  /** @type {WaveDirector} */
  const d = {
    wave: 0,
    remaining: 0,
    finished: false,
    breatherLeft: Math.min(1, breather),
    update(dt, alive) {
      if (d.finished) return;
      if (d.remaining > 0) {
        timer -= dt;
        while (timer <= 0 && d.remaining > 0) {
          options.onSpawn(d.wave, spawned++);
          d.remaining--;
          timer += options.spacing(d.wave);
        }
        return;
      }
      if (alive > 0) return;
      if (d.wave > 0 && !clearedAnnounced) {
        clearedAnnounced = true;
        options.onWaveCleared?.(d.wave);
        if (d.wave >= options.total) {
          d.finished = true;
          return;
        }
        d.breatherLeft = breather;
      }
      d.breatherLeft -= dt;
      if (d.breatherLeft <= 0) startNext();
    },
    skipBreather() {
      if (d.remaining === 0 && !d.finished) d.breatherLeft = 0;
    },
    reset() {
      d.wave = 0;
      d.remaining = 0;
      d.finished = false;
      d.breatherLeft = Math.min(1, breather);
      clearedAnnounced = true;
    },
  };
  let timer = 0;
  let spawned = 0;
  let clearedAnnounced = true;
  const startNext = () => {
    d.wave++;
    d.remaining = Math.max(1, Math.round(options.count(d.wave)));
    spawned = 0;
    timer = 0;
    clearedAnnounced = false;
    options.onWaveStart?.(d.wave);
  };
  return d;
}
