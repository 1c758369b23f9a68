// How a slot is named, in one place: slot N is `gamedemoN` (the deploy directory, the
// game container and its Traefik router) and is served at http://gamedemoN.<domain>/.
// Slot allocation is lib/slots.ts.

export const SLOT_PREFIX = 'gamedemo';

/** `gamedemoN`: the slot's directory, container and host name (`prefix` only differs in tests). */
export const slotName = (slot: number, prefix = SLOT_PREFIX) => `${prefix}${slot}`;

/** Matches a Host header that names a slot (`gamedemoN.<anything>`); group 1 is N. */
export const SLOT_HOST = new RegExp(`^${SLOT_PREFIX}(\\d{1,3})\\.`, 'i');

/** Slot N on this machine, served by the app itself (functions/play.ts). */
export const localSlotUrl = (slot: number, port: number) => `http://${slotName(slot)}.localhost:${port}/`;
