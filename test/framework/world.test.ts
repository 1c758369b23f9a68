import { describe, expect, it, vi } from 'vitest';
import { fw } from './load.ts';

const { circlesOverlap, boxesOverlap, circleBoxOverlap, circleBoxSide, pointInBox, nearest } =
  await fw('world/collision.js');
const { createWorld } = await fw('world/entities.js');
const { createWaves } = await fw('world/waves.js');

describe('world/collision', () => {
  it('tests circles, boxes and mixed pairs', () => {
    expect(circlesOverlap({ x: 0, y: 0, r: 5 }, { x: 9, y: 0, r: 5 })).toBe(true);
    expect(circlesOverlap({ x: 0, y: 0, r: 5 }, { x: 10, y: 0, r: 5 })).toBe(false);
    expect(boxesOverlap({ x: 0, y: 0, w: 10, h: 10 }, { x: 9, y: 9, w: 5, h: 5 })).toBe(true);
    expect(boxesOverlap({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 5, h: 5 })).toBe(false);
    expect(circleBoxOverlap({ x: 15, y: 5, r: 6 }, { x: 0, y: 0, w: 10, h: 10 })).toBe(true);
    expect(circleBoxOverlap({ x: 14, y: 14, r: 5 }, { x: 0, y: 0, w: 10, h: 10 })).toBe(false);
    expect(pointInBox({ x: 3, y: 3 }, { x: 0, y: 0, w: 10, h: 10 })).toBe(true);
  });
  it('tells which axis a ball should bounce on', () => {
    const brick = { x: 0, y: 0, w: 100, h: 20 };
    expect(circleBoxSide({ x: 50, y: 24, r: 6 }, brick)).toBe('y');
    expect(circleBoxSide({ x: 104, y: 10, r: 6 }, brick)).toBe('x');
    expect(circleBoxSide({ x: 50, y: 40, r: 6 }, brick)).toBeNull();
  });
  it('finds the nearest item within a distance', () => {
    const items = [
      { x: 10, y: 0 },
      { x: 3, y: 4 },
      { x: -20, y: 0 },
    ];
    expect(nearest({ x: 0, y: 0 }, items)).toBe(items[1]);
    expect(nearest({ x: 0, y: 0 }, items, 2)).toBeNull();
  });
});

describe('world/entities', () => {
  it('spawns by tag, defers removal to sweep and counts live entities', () => {
    const w = createWorld();
    const a = w.spawn('enemy', { x: 1, hp: 3 });
    const b = w.spawn('enemy', { x: 2, hp: 3 });
    w.spawn('coin', { x: 3 });
    expect(a.id).not.toBe(b.id);
    expect(w.count('enemy')).toBe(2);
    w.kill(a);
    expect(w.all('enemy')).toEqual([b]);
    expect(w.size).toBe(2);
    expect(w.sweep()).toBe(1);
    w.clear();
    expect(w.size).toBe(0);
  });
});

describe('world/waves', () => {
  it('spawns each wave, waits for a clear field, and finishes after the last', () => {
    const spawned: Array<[number, number]> = [];
    const cleared = vi.fn();
    const d = createWaves({
      total: 2,
      count: (n: number) => n * 2,
      spacing: () => 0.5,
      breather: 1,
      onSpawn: (w: number, i: number) => spawned.push([w, i]),
      onWaveCleared: cleared,
    });
    let alive = 0;
    const run = (seconds: number) => {
      for (let t = 0; t < seconds; t += 0.1) {
        const before = spawned.length;
        d.update(0.1, alive);
        alive += spawned.length - before;
      }
    };
    run(2);
    expect(d.wave).toBe(1);
    expect(spawned).toEqual([
      [1, 0],
      [1, 1],
    ]);
    run(3); // enemies still alive: no new wave
    expect(d.wave).toBe(1);
    alive = 0;
    run(3);
    expect(cleared).toHaveBeenCalledWith(1);
    expect(d.wave).toBe(2);
    expect(spawned.filter(([w]) => w === 2)).toHaveLength(4);
    alive = 0;
    run(1);
    expect(d.finished).toBe(true);
    expect(cleared).toHaveBeenLastCalledWith(2);
  });
  it('can skip a breather and reset', () => {
    const d = createWaves({ total: 3, count: () => 1, spacing: () => 1, breather: 10, onSpawn: () => {} });
    d.update(1.1, 0);
    expect(d.wave).toBe(1);
    d.update(0.1, 0);
    d.update(0.1, 0);
    expect(d.wave).toBe(1);
    d.skipBreather();
    d.update(0.1, 0);
    expect(d.wave).toBe(2);
    d.reset();
    expect(d.wave).toBe(0);
  });
});
