// Scripted play for each kit: how to press its controls, what a response looks
// like in window.__game.kit, one beat of purposeful play, and one beat of giving
// up (to reach an ending). Coordinates are logical canvas pixels (960×540).
import type { Page } from 'playwright-core';
import type { Genre } from '../../lib/artifacts.ts';

type Kit = Record<string, any>;

export interface KitScript {
  control(page: Page, click: Clicker): Promise<void>;
  responded(before: Kit, after: Kit): boolean;
  play(page: Page, click: Clicker, kit: Kit): Promise<void>;
  giveUp(page: Page, click: Clicker, kit: Kit): Promise<void>;
}

/** Clicks (or moves to) a logical canvas point. */
export type Clicker = (x: number, y: number, opts?: { move?: boolean }) => Promise<void>;

const hold = async (page: Page, key: string, ms: number) => {
  await page.keyboard.down(key);
  await page.waitForTimeout(ms);
  await page.keyboard.up(key);
};
const idle = (page: Page) => page.waitForTimeout(400);

export const SCRIPTS: Record<Genre, KitScript> = {
  'arena-shooter': {
    control: (page) => hold(page, 'ArrowRight', 350),
    responded: (a, b) => b.player.x > a.player.x + 20,
    async play(page, _c, kit) {
      // Circle the arena's middle so chasers line up behind, then pulse.
      const keys =
        kit.player.x < 400
          ? 'ArrowRight'
          : kit.player.x > 560
            ? 'ArrowLeft'
            : kit.player.y < 220
              ? 'ArrowDown'
              : 'ArrowUp';
      await hold(page, keys, 250);
      await page.keyboard.press('Space');
    },
    giveUp: idle,
  },
  breakout: {
    async control(page) {
      await hold(page, 'ArrowLeft', 300);
    },
    responded: (a, b) => b.paddle.x < a.paddle.x - 20,
    async play(page, click, kit) {
      if (!kit.launched) await page.keyboard.press('Space');
      // Follow the ball with the pointer, as a mouse player would.
      if (kit.ball) await click(kit.ball.x, 500, { move: true });
      await page.waitForTimeout(60);
    },
    async giveUp(page, click) {
      await click(20, 500, { move: true });
      await page.keyboard.press('Space');
      await page.waitForTimeout(300);
    },
  },
  snake: {
    control: (page) => page.keyboard.press('ArrowUp'),
    responded: (a, b) => b.dir[1] === -1 && a.dir[1] !== -1,
    async play(page, _c, kit) {
      const food = kit.food[0];
      if (!food || !kit.head) return void (await page.waitForTimeout(60));
      const [dx, dy] = kit.dir;
      const wantX = Math.sign(food.x - kit.head.x);
      const wantY = Math.sign(food.y - kit.head.y);
      // Turn only onto a perpendicular axis; never straight back into the body.
      if (dx !== 0 && wantX !== dx && wantY !== 0) await page.keyboard.press(wantY < 0 ? 'ArrowUp' : 'ArrowDown');
      else if (dy !== 0 && wantY !== dy && wantX !== 0)
        await page.keyboard.press(wantX < 0 ? 'ArrowLeft' : 'ArrowRight');
      else if (dx !== 0 && wantX === -dx)
        await page.keyboard.press(kit.head.y > kit.rows / 2 ? 'ArrowUp' : 'ArrowDown');
      else if (dy !== 0 && wantY === -dy)
        await page.keyboard.press(kit.head.x > kit.cols / 2 ? 'ArrowLeft' : 'ArrowRight');
      await page.waitForTimeout(40);
    },
    giveUp: idle,
  },
  runner: {
    control: (page) => page.keyboard.press('Space'),
    responded: (a, b) => !b.onGround || b.player.y < a.player.y - 10,
    async play(page) {
      await hold(page, 'Space', 120);
      await page.waitForTimeout(350);
    },
    giveUp: idle,
  },
  'tower-defense': {
    async control(page, click) {
      const spots = await page.evaluate(() => (window as any).__game.kit.buildSpots);
      await click(spots[0].x, spots[0].y);
      await page.waitForTimeout(100);
    },
    responded: (a, b) => b.towers === a.towers + 1,
    async play(page, click, kit) {
      const spot = kit.buildSpots[(kit.towers * 3) % Math.max(1, kit.buildSpots.length)];
      if (spot) await click(spot.x, spot.y);
      await page.keyboard.press('Enter'); // call waves early: faster income
      await page.waitForTimeout(250);
    },
    giveUp: async (page) => {
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
    },
  },
  idle: {
    async control(page, click) {
      const node = await page.evaluate(() => (window as any).__game.kit.nodes[0]);
      await click(node.x, node.y);
      await page.waitForTimeout(100);
    },
    responded: (a, b) => b.taps > a.taps && b.ageEarned > a.ageEarned,
    async play(page, click, kit) {
      const target = kit.pests[0] ?? kit.nodes[0];
      if (target) await click(target.x, target.y);
      await page.waitForTimeout(60);
    },
    giveUp: idle,
  },
};
