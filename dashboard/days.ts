const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * The days of a time axis: every day from the first to the last one given, so that gaps show as gaps.
 * Beyond `maxSpan` days (a stray old creation date would stretch the axis over years) only the given
 * days are kept; values that are not days go last, as they are.
 */
export function dayAxis(values: Iterable<string>, maxSpan = 400): string[] {
  const distinct = [...new Set(values)];
  const days = distinct.filter(isDay).sort();
  const others = distinct.filter((v) => !isDay(v)).sort();
  if (days.length === 0) return others;
  const first = Date.parse(`${days[0]}T00:00:00Z`);
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const span = Math.round((last - first) / 86_400_000) + 1;
  if (span > maxSpan) return [...days, ...others];
  const axis: string[] = [];
  for (let i = 0; i < span; i++) axis.push(new Date(first + i * 86_400_000).toISOString().slice(0, 10));
  return [...axis, ...others];
}
