// Where the game's "How to play" page is — the studio's /jobs/<id>/how-to-play —
// worked out from the address the game is served at: a slot's own origin
// (gamedemoN.<host> → <host>/slots/N/how-to-play, which sends the reader on to
// the game now on that slot), an archived game's (game-<id>.<host> →
// <host>/jobs/<id>/how-to-play), or their same-origin paths (/play/N/,
// /archive/<id>/). Anywhere else (a file, a play-test server): null, no link.

/** @param {{ protocol: string, host: string, pathname: string } | undefined | null} loc @returns {string | null} */
export function howToPlayUrl(loc) {
  if (!loc || (loc.protocol !== 'http:' && loc.protocol !== 'https:')) return null;
  const slot = /^gamedemo(\d{1,3})\.(.+)$/i.exec(loc.host);
  if (slot) return `${loc.protocol}//${slot[2]}/slots/${slot[1]}/how-to-play`;
  const archived = /^game-(\d{1,15})\.(.+)$/i.exec(loc.host);
  if (archived) return `${loc.protocol}//${archived[2]}/jobs/${archived[1]}/how-to-play`;
  const slotPath = /^\/play\/(\d{1,3})\//.exec(loc.pathname);
  if (slotPath) return `/slots/${slotPath[1]}/how-to-play`;
  const archivePath = /^\/archive\/(\d{1,15})\//.exec(loc.pathname);
  if (archivePath) return `/jobs/${archivePath[1]}/how-to-play`;
  return null;
}
