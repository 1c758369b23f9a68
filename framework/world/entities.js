// Entity pool grouped by tag ("enemy", "bullet", "coin"…). Entities are plain
// objects; removal is deferred to the end of a step so loops stay safe.

/**
 * @typedef {object} Entity
 * @property {number} id
 * @property {string} tag
 * @property {number} x
 * @property {number} y
 * @property {boolean} dead
 */

/**
 * @typedef {object} World
 * @property {<T extends object>(tag: string, props: T) => Entity & T} spawn
 * @property {(tag: string) => Array<Entity & Record<string, any>>} all   live entities with this tag
 * @property {(tag: string) => number} count
 * @property {(entity: Entity) => void} kill   marks dead; swept by sweep()
 * @property {() => number} sweep  drops dead entities; returns how many
 * @property {() => void} clear
 * @property {number} size  live entities
 */

/** @returns {World} */
export function createWorld() {
  /** @type {Map<string, Array<any>>} */
  const byTag = new Map();
  let nextId = 1;
  /** @type {World} */
  const world = {
    spawn(tag, props) {
      const entity = Object.assign({ id: nextId++, tag, x: 0, y: 0, dead: false }, props);
      let list = byTag.get(tag);
      if (!list) {
        list = [];
        byTag.set(tag, list);
      }
      list.push(entity);
      return entity;
    },
    all(tag) {
      return (byTag.get(tag) ?? []).filter((e) => !e.dead);
    },
    count(tag) {
      let n = 0;
      for (const e of byTag.get(tag) ?? []) if (!e.dead) n++;
      return n;
    },
    kill(entity) {
      entity.dead = true;
    },
    sweep() {
      let removed = 0;
      for (const [tag, list] of byTag) {
        const alive = list.filter((e) => !e.dead);
        removed += list.length - alive.length;
        byTag.set(tag, alive);
      }
      return removed;
    },
    clear() {
      byTag.clear();
    },
    get size() {
      let n = 0;
      for (const list of byTag.values()) for (const e of list) if (!e.dead) n++;
      return n;
    },
  };
  return world;
}
