// The poster's number formats (analytics/evidence.py count/share, units.duration,
// feedback_measures.signed), ported so that the browser and the print write the same figure
// the same way: Python rounds an exact half to even where JavaScript's toFixed rounds it up.

/** `value` with `digits` decimals as Python's format() writes it (half to even on an exact tie). */
export function pyFixed(value: number, digits: number): string {
  const scale = 2 ** (digits + 1);
  const doubled = value * scale; // exact: a power of two
  // An exact tie at `digits` decimals is an odd multiple of 2^-(digits+1) (the only dyadic ties).
  const tie = Number.isInteger(doubled) && Math.abs(doubled) % 2 === 1 && value !== 0;
  if (!tie) return value.toFixed(digits);
  const shifted = value * 10 ** digits; // n + 0.5, exactly representable
  const low = Math.floor(shifted);
  const even = low % 2 === 0 ? low : low + 1;
  return (even / 10 ** digits).toFixed(digits);
}

/** `1,234` (Python's `{:,.0f}`). */
export function countText(value: number): string {
  const whole = pyFixed(value, 0);
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  return (negative ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `42%`, or `4.2%` under a tenth (evidence.py `share`). */
export function shareText(value: number): string {
  const percent = value * 100; // Python's `%` format multiplies first, in floating point
  return `${pyFixed(percent, value >= 0.1 ? 0 : 1)}%`;
}

/** `1.5 h`, `2.0 min`, `46 s` (units.duration, from seconds here). */
export function durationText(seconds: number): string {
  const ms = seconds * 1000;
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["min", 60_000],
  ] as const) {
    if (ms >= size) return `${pyFixed(ms / size, 1)} ${unit}`;
  }
  return `${pyFixed(ms / 1000, 0)} s`;
}

/** `+0.4`, `-1.3`, `0.0` (never `-0.0`). */
export function signedText(value: number): string {
  const text = pyFixed(value, 1);
  if (text === "0.0" || text === "-0.0") return "0.0";
  return text.startsWith("-") ? text : `+${text}`;
}

/** A change in percentage points: `+3.1 pts`, `-0.4 pts`. */
export function pointsText(before: number, after: number): string {
  const pts = (after - before) * 100;
  const text = pyFixed(pts, 1);
  return `${text.startsWith("-") || text === "0.0" ? text : `+${text}`} pts`;
}

/** What a hidden count shows: `<10`. */
export function hiddenText(minCount: number): string {
  return `<${minCount}`;
}
