import { day } from '../../testing/usage-fixtures';
import { dayPoints, keyBreakdown, modelBreakdown } from './usage-data';
import { defaultRange } from './usage-page';

describe('usage data', () => {
  const results = [
    day('2026-03-01', { tok1: ['ci', 1, 2], tok2: [null, 3, 1] }),
    day('2026-03-03', { tok1: ['ci', 4, 5] }),
  ];

  it('fills the days without activity with zeros', () => {
    const points = dayPoints(results, '2026-02-28', '2026-03-03');

    expect(points.map((p) => p.date)).toEqual([
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
    ]);
    expect(points.map((p) => p.spend)).toEqual([0, 4, 0, 4]);
    expect(points[1].requests).toBe(3);
  });

  it('sums each key over the range, most spend first, named by alias', () => {
    const rows = keyBreakdown(results);

    expect(rows.map((r) => [r.label, r.spend, r.requests, r.failed])).toEqual([
      ['ci', 5, 7, 2],
      ['Key …tok2', 3, 1, 1],
    ]);
  });

  it('sums each model over the range', () => {
    expect(modelBreakdown(results)).toEqual([
      { id: 'gpt-4o', label: 'gpt-4o', spend: 8, tokens: 120, requests: 8, failed: 0 },
    ]);
  });

  it('defaults to the last 30 days, today included', () => {
    expect(defaultRange(new Date('2026-03-31T15:00:00Z'))).toEqual({
      start: '2026-03-02',
      end: '2026-03-31',
    });
  });
});
