// Tiny synthesized sound effects on WebAudio. Browsers refuse to start audio
// before a user gesture (and log a warning if you try), so the AudioContext is
// created only by unlock(), which the game calls on the first key or tap.

/** Each sound: oscillator type, start/end frequency (Hz), duration (s), volume. */
export const SOUNDS = {
  shoot: { type: 'square', from: 880, to: 440, duration: 0.06, volume: 0.05 },
  hit: { type: 'triangle', from: 300, to: 120, duration: 0.08, volume: 0.08 },
  coin: { type: 'sine', from: 990, to: 1480, duration: 0.09, volume: 0.07 },
  explode: { type: 'sawtooth', from: 160, to: 40, duration: 0.25, volume: 0.08 },
  jump: { type: 'square', from: 330, to: 660, duration: 0.1, volume: 0.05 },
  upgrade: { type: 'triangle', from: 520, to: 1040, duration: 0.18, volume: 0.08 },
  lose: { type: 'sawtooth', from: 400, to: 80, duration: 0.6, volume: 0.08 },
  win: { type: 'triangle', from: 520, to: 1560, duration: 0.5, volume: 0.08 },
};

/**
 * @param {object} [options]
 * @param {() => AudioContext | null} [options.makeContext]  injectable for tests
 */
export function createSfx({ makeContext } = {}) {
  /** @type {AudioContext | null} */
  let ctx = null;
  let unlocked = false;
  const sfx = {
    muted: false,
    /** Sounds actually scheduled; lets tests and the HUD see audio is alive. */
    played: 0,
    get unlocked() {
      return unlocked;
    },
    /** Call from a user gesture handler. Safe to call repeatedly. */
    unlock() {
      if (unlocked) return;
      unlocked = true;
      try {
        const Ctor = globalThis.AudioContext ?? /** @type {any} */ (globalThis).webkitAudioContext;
        ctx = makeContext ? makeContext() : Ctor ? new Ctor() : null;
        ctx?.resume?.();
      } catch {
        ctx = null; // No audio device: the game stays silent rather than failing.
      }
    },
    /** @param {keyof typeof SOUNDS} name */
    play(name) {
      const s = SOUNDS[name];
      if (!s || !ctx || sfx.muted) return;
      try {
        const t = ctx.currentTime;
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = /** @type {OscillatorType} */ (s.type);
        osc.frequency.setValueAtTime(s.from, t);
        osc.frequency.exponentialRampToValueAtTime(Math.max(1, s.to), t + s.duration);
        gain.gain.setValueAtTime(s.volume, t);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + s.duration);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t);
        osc.stop(t + s.duration + 0.02);
        sfx.played++;
      } catch {
        // A closed or suspended context is not worth an error in the console.
      }
    },
    toggleMute() {
      sfx.muted = !sfx.muted;
      return sfx.muted;
    },
  };
  return sfx;
}
