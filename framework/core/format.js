// Number formatting for incremental games, where values grow past millions fast.

const SUFFIXES = ['', 'K', 'M', 'B', 'T', 'Qa', 'Qi', 'Sx', 'Sp', 'Oc', 'No', 'Dc'];

/**
 * Formats a number compactly: 950 → "950", 1234 → "1.23K", 4.5e9 → "4.50B",
 * beyond the suffix table → "1.00e36". Non-finite values format as "∞".
 * @param {number} value
 * @param {number} [digits=2] decimals shown once a suffix applies
 */
export function formatNumber(value, digits = 2) {
  if (!Number.isFinite(value)) return value < 0 ? '-∞' : '∞';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs < 1000) return sign + (Number.isInteger(abs) ? String(abs) : abs.toFixed(abs < 10 ? 1 : 0));
  const tier = Math.floor(Math.log10(abs) / 3);
  if (tier >= SUFFIXES.length) return sign + abs.toExponential(digits).replace('e+', 'e');
  const scaled = abs / 10 ** (tier * 3);
  // Rounding can push 999.996K up to "1000.00K"; carry into the next suffix instead.
  if (Number(scaled.toFixed(digits)) >= 1000 && tier + 1 < SUFFIXES.length)
    return sign + (1).toFixed(digits) + SUFFIXES[tier + 1];
  return sign + scaled.toFixed(digits) + SUFFIXES[tier];
}

/** Formats seconds as m:ss. @param {number} seconds */
export function formatTime(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
