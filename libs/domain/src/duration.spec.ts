import { addDuration, isDuration, parseDuration } from './duration';

describe('durations', () => {
  it('parses every unit of the contract', () => {
    expect(parseDuration('30s')).toEqual({ amount: 30, unit: 's' });
    expect(parseDuration('30m')).toEqual({ amount: 30, unit: 'm' });
    expect(parseDuration('30h')).toEqual({ amount: 30, unit: 'h' });
    expect(parseDuration('30d')).toEqual({ amount: 30, unit: 'd' });
    expect(parseDuration('1mo')).toEqual({ amount: 1, unit: 'mo' });
  });

  it('refuses what is not a duration', () => {
    const refused = ['', '0d', '-1d', '1w', '1.5h', 'd', '30', '1 d', ' 30d', '30d\n'];
    for (const text of [...refused, '9999999d', '1moo']) {
      expect(isDuration(text)).toBe(false);
    }
    expect(isDuration(30)).toBe(false);
  });

  it('adds seconds, minutes, hours and days exactly', () => {
    const start = new Date('2026-03-01T10:00:00.000Z');
    expect(addDuration(start, '30s').toISOString()).toBe('2026-03-01T10:00:30.000Z');
    expect(addDuration(start, '30m').toISOString()).toBe('2026-03-01T10:30:00.000Z');
    expect(addDuration(start, '30h').toISOString()).toBe('2026-03-02T16:00:00.000Z');
    expect(addDuration(start, '30d').toISOString()).toBe('2026-03-31T10:00:00.000Z');
  });

  it('adds calendar months, not "the first of next month"', () => {
    const start = new Date('2026-01-15T08:30:00.000Z');
    expect(addDuration(start, '1mo').toISOString()).toBe('2026-02-15T08:30:00.000Z');
    expect(addDuration(start, '12mo').toISOString()).toBe('2027-01-15T08:30:00.000Z');
  });

  it('clamps to the last day of a shorter month', () => {
    const start = new Date('2026-01-31T23:00:00.000Z');
    expect(addDuration(start, '1mo').toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(addDuration(new Date('2028-01-31T00:00:00Z'), '1mo').toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });
});
