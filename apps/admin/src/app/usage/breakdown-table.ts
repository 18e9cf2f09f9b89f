import { CurrencyPipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { BreakdownRow } from './usage-data';

/** Totals per key or per model over the range, in a plain accessible table. */
@Component({
  selector: 'gh-breakdown-table',
  imports: [CurrencyPipe, DecimalPipe],
  template: `
    <div class="gh-table-wrap">
      <table class="table" [attr.data-testid]="testId()">
        <caption>
          {{
            title()
          }}
        </caption>
        <thead>
          <tr>
            <th scope="col">{{ name() }}</th>
            <th scope="col">Spend</th>
            <th scope="col">Tokens</th>
            <th scope="col">Requests</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.id) {
            <tr>
              <th scope="row">{{ row.label }}</th>
              <td>{{ row.spend | currency: 'USD' : 'symbol' : '1.2-4' }}</td>
              <td>{{ row.tokens | number }}</td>
              <td>{{ row.requests | number }}</td>
              <td>{{ row.failed | number }}</td>
            </tr>
          } @empty {
            <tr>
              <td colspan="5" class="empty">No activity in this range.</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .table {
      width: 100%;
      border-collapse: collapse;
    }

    caption {
      text-align: start;
      padding: 12px 16px;
      font: var(--mat-sys-title-small);
    }

    th,
    td {
      padding: 10px 16px;
      text-align: end;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }

    th[scope='row'],
    thead th:first-child {
      text-align: start;
    }

    .empty {
      text-align: start;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BreakdownTable {
  readonly rows = input.required<BreakdownRow[]>();
  readonly title = input.required<string>();

  /** The heading of the first column: "Key" or "Model". */
  readonly name = input.required<string>();
  readonly testId = input('breakdown-table');
}
