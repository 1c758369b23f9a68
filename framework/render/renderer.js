// Canvas rendering: a fixed logical resolution scaled to the element, a camera,
// draw layers (so kits can submit in any order), screen shake and text.

/**
 * @typedef {object} Camera
 * @property {number} x  world point shown at the top-left
 * @property {number} y
 * @property {number} zoom
 */

/**
 * @typedef {object} Renderer
 * @property {CanvasRenderingContext2D} ctx
 * @property {number} width
 * @property {number} height
 * @property {Camera} camera
 * @property {(color: string) => void} begin   clears with `color`, prepares a frame
 * @property {(layer: number, draw: (ctx: CanvasRenderingContext2D) => void) => void} draw  queue a world-space draw on a layer
 * @property {(layer: number, draw: (ctx: CanvasRenderingContext2D) => void) => void} drawScreen  queue a screen-space draw (ignores camera and shake)
 * @property {() => void} end    flushes layers in ascending order
 * @property {(layer: number, key: string, paint: (ctx: CanvasRenderingContext2D) => void, offsetX?: number, repeat?: number) => void} cached
 *   world-space layer painted once per key, then blitted (at `offsetX`, `repeat` times side by side, for scrolling tiles)
 * @property {(intensity: number, seconds: number) => void} shake
 * @property {(dt: number) => void} update   advances shake decay
 * @property {(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, opts?: TextOptions) => void} text
 * @property {(sx: number, sy: number) => {x: number, y: number}} screenToWorld
 */

/**
 * @typedef {object} TextOptions
 * @property {number} [size]
 * @property {string} [color]
 * @property {CanvasTextAlign} [align]
 * @property {CanvasTextBaseline} [baseline]
 * @property {string} [weight]
 * @property {string} [outline]  colour of a thin outline for legibility over busy scenes
 */

/**
 * @param {HTMLCanvasElement} canvas
 * @param {object} options
 * @param {number} options.width   logical width
 * @param {number} options.height
 * @param {() => number} [options.random]  shake jitter source (defaults to Math.random; visual only)
 * @param {(w: number, h: number) => any} [options.makeCanvas]  offscreen canvas factory (for cached layers)
 * @returns {Renderer}
 */
export function createRenderer(canvas, { width, height, random = Math.random, makeCanvas = offscreen }) {
  /** @type {Map<string, any>} */
  const cache = new Map();
  canvas.width = width;
  canvas.height = height;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  /** @type {Array<{layer: number, order: number, screen: boolean, draw: (ctx: CanvasRenderingContext2D) => void}>} */
  let queue = [];
  let order = 0;
  let shakeLeft = 0;
  let shakeTotal = 0;
  let shakePower = 0;

  /** @type {Renderer} */
  const r = {
    ctx,
    width,
    height,
    camera: { x: 0, y: 0, zoom: 1 },
    begin(color) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.globalAlpha = 1;
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, width, height);
      queue = [];
      order = 0;
    },
    draw(layer, draw) {
      queue.push({ layer, order: order++, screen: false, draw });
    },
    drawScreen(layer, draw) {
      queue.push({ layer, order: order++, screen: true, draw });
    },
    end() {
      queue.sort((a, b) => a.layer - b.layer || a.order - b.order);
      const power = shakeLeft > 0 ? shakePower * (shakeLeft / shakeTotal) : 0;
      const sx = power ? (random() * 2 - 1) * power : 0;
      const sy = power ? (random() * 2 - 1) * power : 0;
      for (const item of queue) {
        ctx.save();
        if (!item.screen) {
          const z = r.camera.zoom;
          ctx.setTransform(z, 0, 0, z, -r.camera.x * z + sx, -r.camera.y * z + sy);
        }
        item.draw(ctx);
        ctx.restore();
      }
      queue = [];
    },
    cached(layer, key, paint, offsetX = 0, repeat = 1) {
      // Static scenery (grids, checkerboards) costs hundreds of calls per frame;
      // painting it once and blitting keeps frame time flat.
      let surface = cache.get(key);
      if (!surface) {
        if (cache.size > 8) cache.clear();
        surface = makeCanvas(width, height);
        paint(surface.getContext('2d'));
        cache.set(key, surface);
      }
      r.draw(layer, (ctx) => {
        for (let i = 0; i < repeat; i++) ctx.drawImage(surface, offsetX + i * width, 0);
      });
    },
    shake(intensity, seconds) {
      // Stronger shakes win; weaker ones do not cut a big one short.
      if (intensity * seconds >= shakePower * shakeLeft) {
        shakePower = intensity;
        shakeLeft = shakeTotal = seconds;
      }
    },
    update(dt) {
      shakeLeft = Math.max(0, shakeLeft - dt);
    },
    text(c, text, x, y, opts = {}) {
      c.font = `${opts.weight ?? '600'} ${opts.size ?? 16}px system-ui, sans-serif`;
      c.textAlign = opts.align ?? 'left';
      c.textBaseline = opts.baseline ?? 'alphabetic';
      if (opts.outline) {
        c.lineWidth = Math.max(2, (opts.size ?? 16) / 6);
        c.strokeStyle = opts.outline;
        c.strokeText(text, x, y);
      }
      c.fillStyle = opts.color ?? '#ffffff';
      c.fillText(text, x, y);
    },
    screenToWorld(sx, sy) {
      return { x: sx / r.camera.zoom + r.camera.x, y: sy / r.camera.zoom + r.camera.y };
    },
  };
  return r;
}

/** @param {number} w @param {number} h */
function offscreen(w, h) {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}
