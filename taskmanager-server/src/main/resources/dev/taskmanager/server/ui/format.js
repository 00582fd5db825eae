// How numbers, amounts and times read on the page.

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
const integer = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
const decimal = new Intl.NumberFormat(undefined, {maximumFractionDigits: 1});
const localFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'medium'});

/** A byte count in binary units, e.g. "52.4 MiB" (as the CLI prints it). */
export function bytes(n) {
  if (!Number.isFinite(n)) return '';
  let value = Math.max(0, n);
  let unit = 0;
  while (value >= 1024 && unit < IEC.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${IEC[unit]}`;
}

/** An amount of a task's progress units: bytes human-readable, anything else counted. */
export function amount(n, units) {
  if (units === 'bytes') return bytes(n);
  const text = Number.isInteger(n) ? integer.format(n) : decimal.format(n);
  return units ? `${text} ${units}` : text;
}

/** The share done, 0 to 100, or null while the total is unknown. */
export function percent(progress) {
  if (!progress || !(progress.total > 0)) return null;
  return Math.min(100, Math.max(0, (progress.completed / progress.total) * 100));
}

/** "52.4 MiB of 100.0 MiB (50%)", or "1,234 files" while the total is unknown. */
export function progressText(progress) {
  if (!progress) return '';
  const {completed, total, units} = progress;
  const share = percent(progress);
  if (share === null) return amount(completed, units);
  return `${amount(completed, units)} of ${amount(total, units)} (${Math.floor(share)}%)`;
}

/** "1.0 MiB/s", or '' when the rate is unknown. */
export function rate(progress) {
  if (!progress || progress.rate === null || progress.rate === undefined) return '';
  return `${amount(progress.rate, progress.units)}/s`;
}

/** A duration in seconds as "50 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** "50 s left", or '' when unknown. */
export function eta(progress) {
  if (!progress || progress.eta_seconds === null || progress.eta_seconds === undefined) return '';
  return `${duration(progress.eta_seconds)} left`;
}

/** A v2 time (RFC 3339, UTC, nine fraction digits) as a Date; JavaScript keeps milliseconds. */
export function parseTime(iso) {
  if (!iso) return null;
  const date = new Date(iso.replace(/(\.\d{3})\d*Z$/, '$1Z'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A v2 time in the reader's local time zone. */
export function localTime(iso) {
  const date = parseTime(iso);
  return date ? localFormat.format(date) : '';
}

/** A v2 time as UTC with milliseconds, e.g. "2026-11-30 00:15:12.123 UTC". */
export function utcTime(iso) {
  const date = parseTime(iso);
  return date ? date.toISOString().replace('T', ' ').replace('Z', ' UTC') : '';
}

/** Seconds between two v2 times (the second defaults to now). */
export function secondsBetween(fromIso, toIso) {
  const from = parseTime(fromIso);
  const to = toIso ? parseTime(toIso) : new Date();
  return from && to ? (to - from) / 1000 : null;
}

/** A count with the reader's digit grouping. */
export function count(n) {
  return integer.format(n);
}
