import { describe, expect, it, vi } from 'vitest';
import { fw } from './load.ts';

const { createInput } = await fw('input/input.js');

// Node's EventTarget stands in for window and the canvas; the surface maps a
// 480×270 CSS box onto the 960×540 logical canvas.
function setup(opts: Record<string, unknown> = {}) {
  const keys = new EventTarget();
  const surface = Object.assign(new EventTarget(), {
    getBoundingClientRect: () => ({ left: 10, top: 20, width: 480, height: 270 }),
    setPointerCapture: () => {},
  });
  const input = createInput({ keyTarget: keys, surface, width: 960, height: 540, ...opts });
  const key = (type: string, code: string) =>
    keys.dispatchEvent(Object.assign(new Event(type), { code, repeat: false, preventDefault: () => {} }));
  const pointer = (type: string, clientX: number, clientY: number) =>
    surface.dispatchEvent(Object.assign(new Event(type), { clientX, clientY, pointerId: 1 }));
  return { input, key, pointer };
}

describe('input/input', () => {
  it('maps keys to actions with held state and one-step press edges', () => {
    const { input, key } = setup();
    key('keydown', 'KeyA');
    expect(input.isDown('left')).toBe(true);
    expect(input.wasPressed('left')).toBe(true);
    input.endStep();
    expect(input.wasPressed('left')).toBe(false);
    expect(input.isDown('left')).toBe(true);
    key('keyup', 'KeyA');
    expect(input.isDown('left')).toBe(false);
  });
  it('keeps a press that starts and ends between two steps', () => {
    const { input, key } = setup();
    key('keydown', 'Space');
    key('keyup', 'Space');
    expect(input.isDown('action')).toBe(false);
    expect(input.wasPressed('action')).toBe(true);
  });
  it('combines directions into an axis', () => {
    const { input, key } = setup();
    key('keydown', 'ArrowRight');
    key('keydown', 'ArrowUp');
    expect(input.axis()).toEqual({ x: 1, y: -1 });
    key('keydown', 'ArrowLeft');
    expect(input.axis().x).toBe(0);
  });
  it('maps pointer coordinates into the logical canvas and detects swipes', () => {
    const { input, pointer } = setup();
    pointer('pointerdown', 10 + 240, 20 + 135);
    expect(input.pointer).toMatchObject({ x: 480, y: 270, down: true, pressed: true, active: true });
    pointer('pointerup', 10 + 240 + 60, 20 + 135);
    expect(input.pointer.down).toBe(false);
    expect(input.swipe()).toBe('right');
    input.endStep();
    expect(input.swipe()).toBeNull();
    expect(input.pointer.pressed).toBe(false);
    pointer('pointerdown', 100, 100);
    pointer('pointerup', 102, 101);
    expect(input.swipe()).toBeNull(); // a tap is not a swipe
  });
  it('reports the first gesture and raw key codes, and stops listening when disposed', () => {
    const onGesture = vi.fn();
    const onKey = vi.fn();
    const { input, key } = setup({ onGesture, onKey });
    key('keydown', 'Digit3');
    expect(onGesture).toHaveBeenCalled();
    expect(onKey).toHaveBeenCalledWith('Digit3');
    input.dispose();
    key('keydown', 'KeyW');
    expect(input.isDown('up')).toBe(false);
  });
});
