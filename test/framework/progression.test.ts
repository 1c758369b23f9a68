import { describe, expect, it } from 'vitest';
import { fw } from './load.ts';

const { createWallet } = await fw('progression/wallet.js');
const { createUpgrades, costAt } = await fw('progression/upgrades.js');
const { prestigeGain, prestigeMultiplier } = await fw('progression/prestige.js');

describe('progression/wallet', () => {
  it('earns with a multiplier, spends only what it has, and tracks lifetime', () => {
    const w = createWallet(['coins', 'gems']);
    w.earn(10);
    w.multiplier = 2;
    expect(w.earn(5)).toBe(10);
    expect(w.get()).toBe(20);
    expect(w.spend(25)).toBe(false);
    expect(w.get()).toBe(20);
    expect(w.spend(15)).toBe(true);
    expect(w.get()).toBe(5);
    expect(w.lifetime()).toBe(20);
    expect(w.earn(-5)).toBe(0);
    w.earn(1, 'gems');
    expect(w.get('gems')).toBe(2);
    expect(() => w.get('nope')).toThrow(/unknown currency/);
  });
  it('restores snapshots and ignores junk', () => {
    const w = createWallet();
    w.earn(7);
    const snap = w.snapshot();
    const v = createWallet();
    v.restore(snap);
    expect(v.get()).toBe(7);
    v.restore({ coins: { balance: NaN, lifetime: 1 } });
    expect(v.get()).toBe(7);
  });
});

describe('progression/upgrades', () => {
  const defs = [
    { id: 'rate', name: 'Rate', baseCost: 10, costGrowth: 1.5, maxLevel: 3 },
    { id: 'armor', name: 'Armor', baseCost: 5, costGrowth: 2, requires: { id: 'rate', level: 1 } },
  ];
  it('grows costs geometrically', () => {
    expect(costAt(10, 1.5, 0)).toBe(10);
    expect(costAt(10, 1.5, 2)).toBe(23);
  });
  it('buys levels when affordable and unlocked, up to the cap', () => {
    const u = createUpgrades(defs);
    const w = createWallet();
    w.earn(100);
    expect(u.unlocked('armor')).toBe(false);
    expect(u.buy('armor', w)).toBe(false);
    expect(u.buy('rate', w)).toBe(true);
    expect(w.get()).toBe(90);
    expect(u.cost('rate')).toBe(15);
    expect(u.unlocked('armor')).toBe(true);
    expect(u.buy('rate', w) && u.buy('rate', w)).toBe(true);
    expect(u.maxed('rate')).toBe(true);
    expect(u.buy('rate', w)).toBe(false);
    expect(u.buy('missing', w)).toBe(false);
    const poor = createWallet();
    expect(u.buy('armor', poor)).toBe(false);
    expect(u.level('armor')).toBe(0);
  });
  it('lists views, finds the cheapest, snapshots and resets', () => {
    const u = createUpgrades(defs);
    expect(u.list().map((v: any) => [v.id, v.cost, v.unlocked])).toEqual([
      ['rate', 10, true],
      ['armor', 5, false],
    ]);
    expect(u.cheapest().id).toBe('rate');
    u.restore({ rate: 2, armor: -1 });
    expect(u.level('rate')).toBe(2);
    expect(u.level('armor')).toBe(0);
    u.restore({ rate: 99 });
    expect(u.level('rate')).toBe(3);
    expect(u.snapshot()).toEqual({ rate: 3, armor: 0 });
    u.reset();
    expect(u.level('rate')).toBe(0);
  });
});

describe('progression/prestige', () => {
  it('grants square-root points and a growing multiplier', () => {
    expect(prestigeGain(99, 100)).toBe(0);
    expect(prestigeGain(100, 100)).toBe(1);
    expect(prestigeGain(400, 100)).toBe(2);
    expect(prestigeGain(1e6, 100)).toBe(100);
    expect(prestigeMultiplier(0)).toBe(1);
    expect(prestigeMultiplier(4)).toBe(2);
  });
});
