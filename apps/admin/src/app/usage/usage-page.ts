import { CurrencyPipe, DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { DailyActivityResponse } from '@gatehouse/domain';

import { errorMessage } from '../core/api-error';
import { Session } from '../core/session';
import { UsageApi } from '../core/usage-api';
import { addDays, isoDay } from '../shared/dates';
import { BreakdownTable } from './breakdown-table';
import { DailyChart } from './daily-chart';
import { Metric, dayPoints, keyBreakdown, modelBreakdown } from './usage-data';

/** The default range: the last 30 days, today included. */
export function defaultRange(today = new Date()): { start: string; end: string } {
  const end = isoDay(today);

  return { start: addDays(end, -29), end };
}

/** Spend, tokens and requests over a range of days: totals, a chart, and per-key figures. */
@Component({
  selector: 'gh-usage-page',
  imports: [
    CurrencyPipe,
    DecimalPipe,
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    BreakdownTable,
    DailyChart,
  ],
  templateUrl: './usage-page.html',
  styleUrl: './usage-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsagePage implements OnInit {
  private readonly api = inject(UsageApi);
  private readonly session = inject(Session);

  /** Admin roles see everyone's activity; the API scopes it, the page only says so. */
  protected readonly everyone = computed(() => this.session.scope('spend.read') === 'all');

  protected readonly start = signal(defaultRange().start);
  protected readonly end = signal(defaultRange().end);
  protected readonly metric = signal<Metric>('spend');

  /** The range the shown data is for; the inputs may have changed since. */
  private readonly shown = signal(defaultRange());
  protected readonly activity = signal<DailyActivityResponse | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal('');

  protected readonly totals = computed(() => this.activity()?.metadata ?? null);
  protected readonly days = computed(() => {
    const { start, end } = this.shown();

    return dayPoints(this.activity()?.results ?? [], start, end);
  });
  protected readonly keys = computed(() => keyBreakdown(this.activity()?.results ?? []));
  protected readonly models = computed(() => modelBreakdown(this.activity()?.results ?? []));

  ngOnInit(): void {
    this.load();
  }

  protected load(): void {
    const start = this.start();
    const end = this.end();
    if (!start || !end || start > end) {
      this.error.set('Choose a start day that comes before the end day.');

      return;
    }

    this.loading.set(true);
    this.error.set('');

    this.api.daily(start, end).subscribe({
      next: (activity) => {
        this.shown.set({ start, end });
        this.activity.set(activity);
        this.loading.set(false);
      },
      error: (err: unknown) => {
        this.error.set(`Could not load the usage: ${errorMessage(err)}`);
        this.loading.set(false);
      },
    });
  }
}
