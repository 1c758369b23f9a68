import { describe, expect, it } from 'vitest';
import { fw } from './load.ts';

const { createRenderer } = await fw('render/renderer.js');
const { spriteMask, makeSprite } = await fw('render/sprites.js');
const { createParticles } = await fw('render/particles.js');
const { hexToRgb, rgbToHex, mix, contrast, withAlpha, lighten } = await fw('render/color.js');

/** A 2D context stand-in that records calls. */
function fakeCanvas() {
  const calls: Array<[string, ...unknown[]]> = [];
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (target, prop: string) =>
      prop in target ? target[prop] : (...args: unknown[]) => void calls.push([prop, ...args]),
    set: (target, prop: string, value) => {
      target[prop] = value;
      calls.push([`set:${prop}`, value]);
      return true;
    },
  });
  return { canvas: { width: 0, height: 0, getContext: () => ctx }, calls };
}

describe('render/color', () => {
  it('converts and mixes colours', () => {
    expect(hexToRgb('#ff8000')).toEqual([255, 128, 0]);
    expect(rgbToHex(255, 128, 0)).toBe('#ff8000');
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(lighten('#000000', 1)).toBe('#ffffff');
    expect(withAlpha('#ff0000', 0.5)).toBe('rgba(255,0,0,0.5)');
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 0);
    expect(contrast('#777777', '#777777')).toBeCloseTo(1);
  });
});

describe('render/renderer', () => {
  it('sizes the canvas and draws layers in ascending order whatever the submit order', () => {
    const { canvas, calls } = fakeCanvas();
    const r = createRenderer(canvas, { width: 320, height: 180 });
    expect([canvas.width, canvas.height]).toEqual([320, 180]);
    const order: string[] = [];
    r.begin('#101010');
    r.draw(20, () => order.push('top'));
    r.draw(0, () => order.push('bottom'));
    r.drawScreen(10, () => order.push('middle'));
    r.draw(0, () => order.push('bottom-2'));
    r.end();
    expect(order).toEqual(['bottom', 'bottom-2', 'middle', 'top']);
    expect(calls).toContainEqual(['fillRect', 0, 0, 320, 180]);
  });
  it('applies the camera to world layers and shakes only while shake lasts', () => {
    const { canvas, calls } = fakeCanvas();
    const r = createRenderer(canvas, { width: 100, height: 100, random: () => 1 });
    r.camera.x = 10;
    r.camera.zoom = 2;
    expect(r.screenToWorld(20, 40)).toEqual({ x: 20, y: 20 });
    r.shake(5, 1);
    r.begin('#000000');
    r.draw(0, () => {});
    r.end();
    expect(calls.filter((c) => c[0] === 'setTransform').at(-1)).toEqual(['setTransform', 2, 0, 0, 2, -20 + 5, 5]);
    r.update(2);
    r.begin('#000000');
    r.draw(0, () => {});
    r.end();
    expect(calls.filter((c) => c[0] === 'setTransform').at(-1)).toEqual(['setTransform', 2, 0, 0, 2, -20, 0]);
  });
});

describe('render/renderer cached layers', () => {
  it('paints static scenery once per key and blits it every frame', () => {
    const { canvas, calls } = fakeCanvas();
    let painted = 0;
    const surfaces: unknown[] = [];
    const makeCanvas = (w: number, h: number) => {
      const s = { w, h, getContext: () => ({}) };
      surfaces.push(s);
      return s;
    };
    const r = createRenderer(canvas, { width: 64, height: 32, makeCanvas });
    for (let frame = 0; frame < 3; frame++) {
      r.begin('#000000');
      r.cached(0, 'grid', () => painted++);
      r.end();
    }
    expect(painted).toBe(1);
    expect(surfaces).toEqual([{ w: 64, h: 32, getContext: expect.any(Function) }]);
    expect(calls.filter((c) => c[0] === 'drawImage')).toHaveLength(3);
    r.begin('#000000');
    r.cached(0, 'other', () => painted++);
    r.end();
    expect(painted).toBe(2);
  });
});

describe('render/sprites', () => {
  it('builds symmetric, deterministic, non-empty masks that vary by seed', () => {
    const a = spriteMask({ seed: 1, size: 32, color: '#ff0000' });
    expect(spriteMask({ seed: 1, size: 32, color: '#ff0000' })).toEqual(a);
    for (const row of a) expect(row).toEqual([...row].reverse());
    expect(a.flat().filter((v: number) => v === 1 || v === 2).length).toBeGreaterThan(4);
    const masks = new Set(
      [1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(spriteMask({ seed, size: 32, color: '#fff' }))),
    );
    expect(masks.size).toBeGreaterThan(4);
  });
  it('paints a sprite once and caches it', () => {
    let made = 0;
    const fills: string[] = [];
    const factory = (w: number, h: number) => {
      made++;
      const ctx: Record<string, unknown> = { fillRect: () => fills.push(String(ctx.fillStyle)) };
      return { width: w, height: h, getContext: () => ctx };
    };
    const spec = { seed: 9, size: 24, color: '#336699', shape: 'gem' };
    const s1 = makeSprite(spec, factory);
    const s2 = makeSprite(spec, factory);
    expect(s1).toBe(s2);
    expect(made).toBe(1);
    expect(s1.width).toBe(24);
    expect(fills).toContain('#336699');
  });
});

describe('render/particles', () => {
  it('bursts, fades out and respects its capacity', () => {
    let i = 0;
    const random = () => {
      i = (i * 7 + 3) % 11;
      return i / 11;
    };
    const p = createParticles({ random, capacity: 30 });
    p.burst(0, 0, { color: '#fff', count: 20, life: 0.5 });
    expect(p.count).toBe(20);
    p.burst(0, 0, { color: '#fff', count: 20 });
    expect(p.count).toBe(30);
    p.update(0.1);
    expect(p.count).toBe(30);
    p.update(1);
    expect(p.count).toBe(0);
  });
});

describe('render/floaters', () => {
  it('rises, fades out and caps its count', async () => {
    const { createFloaters } = await fw('render/floaters.js');
    const f = createFloaters(3);
    for (let i = 0; i < 5; i++) f.add(0, 100, `+${i}`, '#fff');
    expect(f.count).toBe(3);
    const drawn: Array<[string, number]> = [];
    f.draw({ globalAlpha: 1 }, { text: (_c: unknown, t: string, _x: number, y: number) => drawn.push([t, y]) }, '#000');
    expect(drawn.map(([t]) => t)).toEqual(['+2', '+3', '+4']);
    f.update(0.5);
    drawn.length = 0;
    f.draw({ globalAlpha: 1 }, { text: (_c: unknown, t: string, _x: number, y: number) => drawn.push([t, y]) }, '#000');
    expect(drawn[0]![1]).toBeLessThan(100);
    f.update(1);
    expect(f.count).toBe(0);
  });
});
