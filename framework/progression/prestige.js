// Prestige: trade a run's progress for permanent points that multiply future
// earnings — the loop that keeps incremental games going after a win.

/**
 * Points a reset would grant, given everything earned so far. Square-root
 * growth so each further point costs more play than the last.
 * @param {number} lifetimeEarned @param {number} threshold earnings for the first point
 */
export function prestigeGain(lifetimeEarned, threshold) {
  if (!(lifetimeEarned >= threshold) || !(threshold > 0)) return 0;
  return Math.floor(Math.sqrt(lifetimeEarned / threshold));
}

/** Earnings multiplier for a number of prestige points: +25% each. @param {number} points */
export function prestigeMultiplier(points) {
  return 1 + 0.25 * Math.max(0, points);
}
