import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { DayPoint, Metric, metricOf } from './usage-data';

const BAR_WIDTH = 10;
const HEIGHT = 100;

const METRIC_NAMES: Record<Metric, string> = {
  spend: 'Spend (USD)',
  tokens: 'Tokens',
  requests: 'Requests',
};

/**
 * A bar per day, drawn in SVG. Screen readers get a summary as the image's description, and
 * everyone can open the same figures as a table.
 */
@Component({
  selector: 'gh-daily-chart',
  imports: [DecimalPipe],
  template: `
    <figure class="figure">
      <figcaption class="caption">{{ name() }} per day</figcaption>
      <div class="plot">
        <span class="axis-max gh-muted" aria-hidden="true">{{ format(max()) }}</span>
        <svg
          role="img"
          [attr.viewBox]="'0 0 ' + width() + ' ' + height"
          preserveAspectRatio="none"
          [attr.aria-label]="summary()"
          data-testid="usage-chart"
        >
          @for (bar of bars(); track bar.date) {
            <rect
              [attr.x]="bar.x"
              [attr.y]="height - bar.h"
              [attr.width]="barWidth - 2"
              [attr.height]="bar.h"
              class="bar"
            >
              <title>{{ bar.date }}: {{ format(bar.value) }}</title>
            </rect>
          }
        </svg>
      </div>
      <div class="dates gh-muted" aria-hidden="true">
        <span>{{ days()[0]?.date }}</span>
        <span>{{ days()[days().length - 1]?.date }}</span>
      </div>
    </figure>
    <details>
      <summary>Show the figures as a table</summary>
      <table class="data" data-testid="usage-chart-table">
        <caption class="gh-visually-hidden">
          Activity per day
        </caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Spend (USD)</th>
            <th scope="col">Tokens</th>
            <th scope="col">Requests</th>
          </tr>
        </thead>
        <tbody>
          @for (day of days(); track day.date) {
            <tr>
              <th scope="row">{{ day.date }}</th>
              <td>{{ day.spend | number: '1.2-4' }}</td>
              <td>{{ day.tokens | number }}</td>
              <td>{{ day.requests | number }}</td>
            </tr>
          }
        </tbody>
      </table>
    </details>
  `,
  styleUrl: './daily-chart.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DailyChart {
  readonly days = input.required<DayPoint[]>();
  readonly metric = input<Metric>('spend');

  protected readonly height = HEIGHT;
  protected readonly barWidth = BAR_WIDTH;
  protected readonly name = computed(() => METRIC_NAMES[this.metric()]);
  protected readonly width = computed(() => Math.max(this.days().length, 1) * BAR_WIDTH);
  protected readonly max = computed(() =>
    Math.max(0, ...this.days().map((day) => metricOf(day, this.metric()))),
  );

  protected readonly bars = computed(() => {
    const max = this.max();

    return this.days().map((day, i) => {
      const value = metricOf(day, this.metric());
      // A sliver for non-zero days keeps tiny values visible next to large ones.
      const h = max === 0 ? 0 : Math.max((value / max) * HEIGHT, value > 0 ? 1 : 0);

      return { date: day.date, value, x: i * BAR_WIDTH + 1, h };
    });
  });

  /** The chart in one sentence, for those who cannot see it. */
  protected readonly summary = computed(() => {
    const days = this.days();
    if (days.length === 0) {
      return `${this.name()} per day: no days in the range.`;
    }

    const peak = this.bars().reduce((best, bar) => (bar.value > best.value ? bar : best));
    const total = this.bars().reduce((sum, bar) => sum + bar.value, 0);

    return (
      `${this.name()} per day from ${days[0].date} to ${days[days.length - 1].date}: ` +
      `total ${this.format(total)}, highest ${this.format(peak.value)} on ${peak.date}.`
    );
  });

  protected format(value: number): string {
    return this.metric() === 'spend'
      ? `$${value.toFixed(value !== 0 && value < 0.01 ? 4 : 2)}`
      : value.toLocaleString('en-US');
  }
}
