import { describe, expect, it, vi } from 'vitest';
import { FakeDocument, FakeElement } from './fake-dom.ts';
import { fw } from './load.ts';

const { createHud } = await fw('ui/hud.js');
const { createOverlay } = await fw('ui/overlay.js');
const { createUpgradePanel } = await fw('ui/upgrade-panel.js');
const { createSfx } = await fw('audio/sfx.js');

const HOSTILE = '</script><script>alert(1)</script> "quoted" \'single\' 🎮 שלום';

describe('ui/hud', () => {
  it('renders labelled values and touches the DOM only when a value changes', () => {
    const doc = new FakeDocument();
    const parent = new FakeElement('div');
    const hud = createHud(doc, parent);
    hud.set([
      { id: 'score', label: 'Score', value: '10' },
      { id: 'title', label: '', value: HOSTILE },
    ]);
    expect(hud.root.textContent).toContain(HOSTILE);
    const created = doc.created;
    hud.set([
      { id: 'score', label: 'Score', value: '10' },
      { id: 'title', label: '', value: HOSTILE },
    ]);
    expect(doc.created).toBe(created);
    hud.set([{ id: 'score', label: 'Score', value: '20' }]);
    expect(hud.read('score')).toBe('20');
    expect(hud.root.textContent).toContain('20');
  });
});

describe('ui/overlay', () => {
  it('shows text, controls and buttons as text nodes, and hides', () => {
    const doc = new FakeDocument();
    const overlay = createOverlay(doc, new FakeElement('div'));
    const onPlay = vi.fn();
    overlay.show({
      title: HOSTILE,
      lines: ['line one'],
      controls: [{ key: 'Space', text: 'jump' }],
      buttons: [{ label: 'Play', onClick: onPlay, primary: true }],
    });
    expect(overlay.visible).toBe(true);
    expect(overlay.root.hidden).toBe(false);
    expect(overlay.root.findAll('h1')[0]!.textContent).toBe(HOSTILE);
    expect(overlay.root.findAll('dt')[0]!.textContent).toBe('Space');
    overlay.root.findAll('button')[0]!.click();
    expect(onPlay).toHaveBeenCalledTimes(1);
    overlay.hide();
    expect(overlay.root.hidden).toBe(true);
    expect(overlay.root.children).toHaveLength(0);
  });
});

describe('ui/upgrade-panel', () => {
  it('enables only affordable, unlocked, unmaxed upgrades and buys on click', () => {
    const doc = new FakeDocument();
    const onBuy = vi.fn();
    const panel = createUpgradePanel(doc, new FakeElement('div'), {
      onBuy,
      format: (n: number) => String(n),
      currencyName: 'Gems',
    });
    const views = [
      { id: 'a', name: 'Cheap', effect: '', level: 0, maxLevel: 5, cost: 5, unlocked: true, maxed: false },
      { id: 'b', name: 'Dear', effect: '', level: 0, maxLevel: 5, cost: 50, unlocked: true, maxed: false },
      { id: 'c', name: 'Locked', effect: '', level: 0, maxLevel: 5, cost: 1, unlocked: false, maxed: false },
      { id: 'd', name: 'Done', effect: '', level: 5, maxLevel: 5, cost: 1, unlocked: true, maxed: true },
    ];
    panel.update(views, 10);
    const buttons: FakeElement[] = panel.root.findAll('button');
    expect(buttons.map((b) => b.disabled)).toEqual([false, true, true, true]);
    expect(buttons[0]!.textContent).toContain('5 Gems');
    expect(buttons[2]!.textContent).toContain('locked');
    expect(buttons[3]!.textContent).toContain('MAX');
    buttons[0]!.click();
    buttons[1]!.click();
    expect(onBuy).toHaveBeenCalledExactlyOnceWith('a');
    panel.update([{ ...views[0]!, level: 1, cost: 8 }, ...views.slice(1)], 100);
    expect(buttons[0]!.textContent).toContain('Lv 1');
    expect(buttons[1]!.disabled).toBe(false);
  });
});

describe('audio/sfx', () => {
  function fakeAudio() {
    const param = () => ({ setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() });
    const oscillators: unknown[] = [];
    const ctx = {
      currentTime: 0,
      destination: {},
      resume: vi.fn(),
      createOscillator: () => {
        const o = { type: '', frequency: param(), connect: (n: unknown) => n, start: vi.fn(), stop: vi.fn() };
        oscillators.push(o);
        return o;
      },
      createGain: () => ({ gain: param(), connect: (n: unknown) => n }),
    };
    return { ctx, oscillators };
  }
  it('stays silent until unlocked by a gesture, then plays, and honours mute', () => {
    const { ctx, oscillators } = fakeAudio();
    const make = vi.fn(() => ctx as any);
    const sfx = createSfx({ makeContext: make });
    sfx.play('shoot');
    expect(make).not.toHaveBeenCalled();
    expect(sfx.played).toBe(0);
    sfx.unlock();
    sfx.unlock();
    expect(make).toHaveBeenCalledTimes(1);
    sfx.play('shoot');
    sfx.play('no-such-sound' as any);
    expect(oscillators).toHaveLength(1);
    expect(sfx.toggleMute()).toBe(true);
    sfx.play('coin');
    expect(sfx.played).toBe(1);
  });
  it('survives a platform without audio', () => {
    const sfx = createSfx({
      makeContext: () => {
        throw new Error('no device');
      },
    });
    expect(() => sfx.unlock()).not.toThrow();
    expect(() => sfx.play('win')).not.toThrow();
  });
});
