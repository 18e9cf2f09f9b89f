/**
 * Durations in LiteLLM's notation: `30s`, `30m`, `30h`, `30d`, `1mo`.
 * Months are calendar months: `1mo` from 31 January is the last day of February.
 */
export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'mo';

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

const PATTERN = /^(\d{1,6})(s|m|h|d|mo)$/;

const UNIT_MS: Record<Exclude<DurationUnit, 'mo'>, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses a duration, or returns null when the text is not one. */
export function parseDuration(text: string): Duration | null {
  const match = PATTERN.exec(text);
  if (!match) {
    return null;
  }

  const amount = Number(match[1]);
  if (amount <= 0) {
    return null;
  }

  return { amount, unit: match[2] as DurationUnit };
}

export function isDuration(text: unknown): text is string {
  return typeof text === 'string' && parseDuration(text) !== null;
}

/** The instant `duration` after `start`, exactly. */
export function addDuration(start: Date, duration: Duration | string): Date {
  const parsed = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (!parsed) {
    throw new Error(`not a duration: ${String(duration)}`);
  }

  if (parsed.unit !== 'mo') {
    return new Date(start.getTime() + parsed.amount * UNIT_MS[parsed.unit]);
  }

  return addMonths(start, parsed.amount);
}

/** Same day of month and time of day, clamped to the target month's last day (UTC). */
function addMonths(start: Date, months: number): Date {
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);

  return new Date(
    Date.UTC(
      year,
      month,
      day,
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
      start.getUTCMilliseconds(),
    ),
  );
}
