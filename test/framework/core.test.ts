import { describe, expect, it, vi } from 'vitest';
import { fw } from './load.ts';

const { createRng, hashString } = await fw('core/rng.js');
const { createEventBus } = await fw('core/events.js');
const { formatNumber, formatTime } = await fw('core/format.js');
const { createSaveStore } = await fw('core/save.js');
const { createLoop } = await fw('core/loop.js');
const { createPlayApi } = await fw('play-api.js');

describe('core/rng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });
  it('keeps values inside the requested bounds', () => {
    const r = createRng(7);
    const ints = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const f = r.next();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const v = r.range(-3, 5);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThan(5);
      ints.add(r.int(1, 4));
    }
    expect([...ints].sort()).toEqual([1, 2, 3, 4]);
  });
  it('picks from a list, refuses an empty one, and forks independent streams', () => {
    const r = createRng(1);
    const picked = new Set(Array.from({ length: 200 }, () => r.pick(['a', 'b', 'c'])));
    expect(picked.size).toBe(3);
    expect(() => r.pick([])).toThrow(/empty/);
    const f1 = createRng(5).fork('path');
    const f2 = createRng(5).fork('spawns');
    expect(f1.next()).not.toBe(f2.next());
  });
  it('hashes strings stably', () => {
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc')).not.toBe(hashString('abd'));
    expect(hashString('')).toBe(0x811c9dc5);
  });
});

describe('core/events', () => {
  it('delivers payloads, unsubscribes, and fires once-handlers once', () => {
    const bus = createEventBus();
    const seen: unknown[] = [];
    const off = bus.on('score', (p: unknown) => seen.push(p));
    const once = vi.fn();
    bus.once('score', once);
    bus.emit('score', 1);
    bus.emit('score', 2);
    off();
    bus.emit('score', 3);
    expect(seen).toEqual([1, 2]);
    expect(once).toHaveBeenCalledTimes(1);
    bus.emit('nobody-listens');
  });
  it('lets a handler remove itself while the event is being delivered', () => {
    const bus = createEventBus();
    const later = vi.fn();
    const off = bus.on('x', () => off());
    bus.on('x', later);
    bus.emit('x');
    bus.emit('x');
    expect(later).toHaveBeenCalledTimes(2);
  });
});

describe('core/format', () => {
  it('formats small, large and huge numbers compactly', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(950)).toBe('950');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(1234)).toBe('1.23K');
    expect(formatNumber(4.5e9)).toBe('4.50B');
    expect(formatNumber(-12_000)).toBe('-12.00K');
    expect(formatNumber(999_999)).toBe('1.00M');
    expect(formatNumber(1e40)).toBe('1.00e40');
    expect(formatNumber(Infinity)).toBe('∞');
  });
  it('formats durations as m:ss', () => {
    expect(formatTime(0)).toBe('0:00');
    expect(formatTime(75.9)).toBe('1:15');
  });
});

describe('core/save', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
      m,
    };
  };
  it('round-trips data under a version', () => {
    const storage = memory();
    const s = createSaveStore({ key: 'k', version: 2, storage });
    expect(s.load()).toBeNull();
    expect(s.save({ coins: 5 })).toBe(true);
    expect(s.load()).toEqual({ coins: 5 });
    s.clear();
    expect(s.load()).toBeNull();
  });
  it('migrates older saves and ignores newer or corrupt ones', () => {
    const storage = memory();
    storage.setItem('k', JSON.stringify({ v: 1, data: { gold: 3 } }));
    const s = createSaveStore({
      key: 'k',
      version: 2,
      storage,
      migrate: (d: any, from: number) => (from === 1 ? { coins: d.gold } : null),
    });
    expect(s.load()).toEqual({ coins: 3 });
    storage.setItem('k', JSON.stringify({ v: 9, data: {} }));
    expect(s.load()).toBeNull();
    storage.setItem('k', '{not json');
    expect(s.load()).toBeNull();
  });
  it('degrades to no persistence when storage throws (sandboxed pages)', () => {
    const hostile = {
      getItem() {
        throw new Error('SecurityError');
      },
      setItem() {
        throw new Error('SecurityError');
      },
      removeItem() {
        throw new Error('SecurityError');
      },
    };
    const s = createSaveStore({ key: 'k', version: 1, storage: hostile as any });
    expect(s.save({ a: 1 })).toBe(false);
    expect(s.load()).toBeNull();
    expect(() => s.clear()).not.toThrow();
    const none = createSaveStore({ key: 'k', version: 1, storage: null });
    expect(none.available).toBe(false);
    expect(none.save({})).toBe(false);
  });
});

describe('core/loop', () => {
  const manual = () => {
    let pending: ((t: number) => void) | null = null;
    return {
      raf: (cb: (t: number) => void) => {
        pending = cb;
        return 1;
      },
      caf: () => {
        pending = null;
      },
      fire: (t: number) => pending?.(t),
    };
  };
  it('runs fixed steps independent of the frame rate', () => {
    const update = vi.fn();
    const render = vi.fn();
    const loop = createLoop({ update, render, stepSeconds: 1 / 60 });
    loop.tick(0);
    loop.tick(100); // 100 ms → 6 steps of 16.7 ms
    expect(update).toHaveBeenCalledTimes(6);
    expect(update.mock.calls[0]![0]).toBeCloseTo(1 / 60);
    expect(render).toHaveBeenCalledTimes(2);
    expect(loop.frames).toBe(2);
  });
  it('clamps a long stall and honours timeScale', () => {
    const update = vi.fn();
    const loop = createLoop({ update, render: () => {}, maxStepsPerFrame: 100 });
    loop.tick(0);
    loop.tick(10_000); // a 10 s stall counts as at most 0.25 s
    expect(update).toHaveBeenCalledTimes(15);
    update.mockClear();
    loop.timeScale = 4;
    loop.tick(10_100);
    expect(update.mock.calls.length).toBeGreaterThanOrEqual(23);
    expect(update.mock.calls.length).toBeLessThanOrEqual(25);
  });
  it('stands still at window.__game.speed 0 and clamps other speeds to 0–16', () => {
    const update = vi.fn();
    const loop = createLoop({ update, render: () => {} });
    const api = createPlayApi({ loop } as any);
    loop.tick(0);
    api.speed = 0;
    loop.tick(100);
    loop.tick(200);
    expect(update).not.toHaveBeenCalled();
    expect(api.speed).toBe(0);
    api.speed = 1;
    loop.tick(300);
    expect(update).toHaveBeenCalledTimes(6);
    api.speed = 99;
    expect(api.speed).toBe(16);
    api.speed = -2;
    expect(api.speed).toBe(0);
    api.speed = 'fast';
    expect(api.speed).toBe(1);
  });
  it('starts and stops through the injected frame scheduler', () => {
    const f = manual();
    const render = vi.fn();
    const loop = createLoop({ update: () => {}, render, requestFrame: f.raf, cancelFrame: f.caf });
    loop.start();
    f.fire(0);
    f.fire(16);
    expect(render).toHaveBeenCalledTimes(2);
    loop.stop();
    f.fire(32);
    expect(render).toHaveBeenCalledTimes(2);
    expect(loop.running).toBe(false);
  });
});
