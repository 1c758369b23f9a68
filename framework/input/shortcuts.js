// The shell's keyboard shortcuts, as a pure mapping from a key code and the
// game's state to an action, so the bindings live in one place.

/**
 * @param {string} code a KeyboardEvent.code
 * @param {string} state 'title' | 'playing' | 'paused' | 'won' | 'lost'
 * @returns {{ type: 'buy', index: number } | { type: 'mute' | 'start' | 'pause' | 'resume' | 'restart' } | null}
 */
export function shortcutFor(code, state) {
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  if (digit) return { type: 'buy', index: Number(digit[1]) - 1 };
  if (code === 'KeyM') return { type: 'mute' };
  const pauseKey = code === 'KeyP' || code === 'Escape';
  if (state === 'title' && (code === 'Enter' || code === 'Space' || code === 'NumpadEnter')) return { type: 'start' };
  if (state === 'playing' && pauseKey) return { type: 'pause' };
  if (state === 'paused' && pauseKey) return { type: 'resume' };
  if (code === 'KeyR' && state !== 'title') return { type: 'restart' };
  // Space is a play key in several kits, so only Enter/R leave an end screen.
  if ((state === 'won' || state === 'lost') && code === 'Enter') return { type: 'restart' };
  return null;
}
