// Dates as the key detail screen shows them: in the user's locale, and the
// day a scheduled deletion would happen.
const DAY_MS = 24 * 60 * 60 * 1000;

/** When a deletion scheduled now with this waiting period happens (the service counts whole days from the request). */
export function deletionDateFor(days: number, now: Date): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

export function showDate(date: Date | undefined): string {
  return date ? date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

export function showDay(date: Date): string {
  return date.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}
