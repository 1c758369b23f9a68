import { describe, expect, it } from 'vitest';
import { fw } from './load.ts';

const { shortcutFor } = await fw('input/shortcuts.js');

describe('shell shortcuts', () => {
  it('buys upgrades by digit in any state', () => {
    expect(shortcutFor('Digit1', 'playing')).toEqual({ type: 'buy', index: 0 });
    expect(shortcutFor('Numpad9', 'title')).toEqual({ type: 'buy', index: 8 });
    expect(shortcutFor('Digit0', 'playing')).toBeNull();
  });
  it('starts from the title with Enter or Space, not R', () => {
    expect(shortcutFor('Enter', 'title')).toEqual({ type: 'start' });
    expect(shortcutFor('Space', 'title')).toEqual({ type: 'start' });
    expect(shortcutFor('KeyR', 'title')).toBeNull();
  });
  it('pauses and resumes with P or Escape', () => {
    expect(shortcutFor('KeyP', 'playing')).toEqual({ type: 'pause' });
    expect(shortcutFor('Escape', 'paused')).toEqual({ type: 'resume' });
  });
  it('leaves an end screen with Enter or R but not Space (a play key)', () => {
    expect(shortcutFor('Enter', 'lost')).toEqual({ type: 'restart' });
    expect(shortcutFor('KeyR', 'won')).toEqual({ type: 'restart' });
    expect(shortcutFor('Space', 'lost')).toBeNull();
  });
  it('toggles mute with M', () => {
    expect(shortcutFor('KeyM', 'playing')).toEqual({ type: 'mute' });
  });
});
