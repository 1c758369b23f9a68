// Unified input: keyboard, mouse and touch reduce to named actions plus one
// pointer, so every kit is playable with keys, a mouse or a finger. Pointer
// Events already merge mouse and touch; we add key bindings, edge detection
// ("pressed this step") and swipe gestures for phones.

/**
 * @typedef {object} Pointer
 * @property {number} x        logical (canvas) coordinates
 * @property {number} y
 * @property {boolean} down
 * @property {boolean} active  the pointer has been over the canvas at least once
 * @property {boolean} pressed went down since the last step
 */

/**
 * @typedef {object} Input
 * @property {(action: string) => boolean} isDown
 * @property {(action: string) => boolean} wasPressed  pressed since the last endStep()
 * @property {() => {x: number, y: number}} axis       from up/down/left/right, each -1..1
 * @property {Pointer} pointer
 * @property {() => ('up'|'down'|'left'|'right'|null)} swipe  last swipe since endStep()
 * @property {() => void} endStep   call after each simulation step
 * @property {(code: string, down: boolean) => void} feedKey   inject a key (tests, on-screen buttons)
 * @property {() => void} dispose
 */

/** Default bindings: action → KeyboardEvent.code values. */
export const DEFAULT_BINDINGS = {
  up: ['ArrowUp', 'KeyW'],
  down: ['ArrowDown', 'KeyS'],
  left: ['ArrowLeft', 'KeyA'],
  right: ['ArrowRight', 'KeyD'],
  action: ['Space'],
  alt: ['ShiftLeft', 'ShiftRight'],
  confirm: ['Enter', 'NumpadEnter'],
  pause: ['KeyP', 'Escape'],
  restart: ['KeyR'],
  mute: ['KeyM'],
};

/** Keys whose default browser action (scrolling) would fight the game. */
const SWALLOWED = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Space']);

/**
 * @param {object} options
 * @param {EventTarget} options.keyTarget    usually window
 * @param {HTMLElement} options.surface       the canvas (pointer events, coordinate mapping)
 * @param {number} options.width              logical width the game draws at
 * @param {number} options.height
 * @param {Record<string, string[]>} [options.bindings]
 * @param {(code: string) => void} [options.onKey]  sees every key press (e.g. digit shortcuts)
 * @param {() => void} [options.onGesture]          first user gesture (unlocks audio)
 * @returns {Input}
 */
export function createInput({ keyTarget, surface, width, height, bindings = DEFAULT_BINDINGS, onKey, onGesture }) {
  /** @type {Map<string, string[]>} code → actions */
  const byCode = new Map();
  for (const [action, codes] of Object.entries(bindings))
    for (const code of codes) byCode.set(code, [...(byCode.get(code) ?? []), action]);
  const down = new Set();
  const pressed = new Set();
  /** @type {Pointer} */
  const pointer = { x: width / 2, y: height / 2, down: false, active: false, pressed: false };
  let swipe = null;
  let swipeStart = null;

  const feedKey = (code, isDown) => {
    for (const action of byCode.get(code) ?? []) {
      if (isDown && !down.has(action)) pressed.add(action);
      if (isDown) down.add(action);
      else down.delete(action);
    }
  };
  const gesture = () => onGesture?.();
  const onKeyDown = (/** @type {any} */ e) => {
    if (SWALLOWED.has(e.code)) e.preventDefault?.();
    gesture();
    if (!e.repeat) onKey?.(e.code);
    feedKey(e.code, true);
  };
  const onKeyUp = (/** @type {any} */ e) => feedKey(e.code, false);
  const toLogical = (/** @type {any} */ e) => {
    const rect = surface.getBoundingClientRect();
    pointer.x = ((e.clientX - rect.left) / (rect.width || width)) * width;
    pointer.y = ((e.clientY - rect.top) / (rect.height || height)) * height;
    pointer.active = true;
  };
  const onPointerDown = (/** @type {any} */ e) => {
    gesture();
    toLogical(e);
    pointer.down = true;
    pointer.pressed = true;
    swipeStart = { x: pointer.x, y: pointer.y };
    surface.setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (/** @type {any} */ e) => toLogical(e);
  const onPointerUp = (/** @type {any} */ e) => {
    toLogical(e);
    pointer.down = false;
    if (swipeStart) {
      const dx = pointer.x - swipeStart.x;
      const dy = pointer.y - swipeStart.y;
      // A swipe is a deliberate drag; short taps stay taps.
      if (Math.hypot(dx, dy) > 30)
        swipe = Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? 'right' : 'left') : dy > 0 ? 'down' : 'up';
    }
    swipeStart = null;
  };
  const onBlur = () => {
    down.clear();
    pointer.down = false;
  };

  /** @type {Array<[EventTarget, string, (e: any) => void]>} every listener, so dispose() removes exactly these */
  const listeners = [
    [keyTarget, 'keydown', onKeyDown],
    [keyTarget, 'keyup', onKeyUp],
    [keyTarget, 'blur', onBlur],
    [surface, 'pointerdown', onPointerDown],
    [surface, 'pointermove', onPointerMove],
    [surface, 'pointerup', onPointerUp],
    [surface, 'pointercancel', onPointerUp],
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);

  return {
    pointer,
    isDown: (action) => down.has(action),
    wasPressed: (action) => pressed.has(action),
    axis: () => ({
      x: (down.has('right') ? 1 : 0) - (down.has('left') ? 1 : 0),
      y: (down.has('down') ? 1 : 0) - (down.has('up') ? 1 : 0),
    }),
    swipe: () => swipe,
    endStep() {
      pressed.clear();
      pointer.pressed = false;
      swipe = null;
    },
    feedKey,
    dispose() {
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
    },
  };
}
