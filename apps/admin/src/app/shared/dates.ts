/** `YYYY-MM-DD` of an instant, in UTC: the API counts days in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `days` after (or before, when negative) a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);

  return isoDay(date);
}

/** Every day from `start` to `end`, both included; empty when `end` comes first. */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let day = start; day <= end && days.length < 3660; day = addDays(day, 1)) {
    days.push(day);
  }

  return days;
}
