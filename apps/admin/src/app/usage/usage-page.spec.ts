import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { byTestId, signInAs, testProviders, typeInto } from '../../testing/fixtures';
import { day } from '../../testing/usage-fixtures';
import { UsagePage, defaultRange } from './usage-page';

describe('UsagePage', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [UsagePage], providers: testProviders() });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('shows totals, a chart with a table, and per-key rows for the last 30 days', async () => {
    signInAs('internal_user');
    const fixture = TestBed.createComponent(UsagePage);
    await fixture.whenStable();

    const { start, end } = defaultRange();
    const req = backend.expectOne((r) => r.url === '/user/daily/activity');
    expect(req.request.params.get('start_date')).toBe(start);
    expect(req.request.params.get('end_date')).toBe(end);
    req.flush({
      results: [day(end, { tok1: ['ci', 1.25, 3] })],
      metadata: {
        total_spend: 1.25,
        total_prompt_tokens: 30,
        total_completion_tokens: 15,
        total_tokens: 45,
        total_api_requests: 3,
        total_successful_requests: 2,
        total_failed_requests: 1,
        page: 1,
        total_pages: 1,
        has_more: false,
      },
    });
    await fixture.whenStable();

    expect(byTestId('usage-total-spend')?.textContent).toContain('$1.25');
    expect(byTestId('usage-total-tokens')?.textContent).toContain('45');
    expect(byTestId('usage-total-requests')?.textContent).toContain('3');
    expect(byTestId('usage-chart')?.getAttribute('aria-label')).toContain('highest $1.25 on');
    expect(byTestId('usage-chart-table')?.querySelectorAll('tbody tr')).toHaveLength(30);
    expect(byTestId('usage-keys')?.textContent).toContain('ci');
  });

  it('refuses a range that ends before it starts', async () => {
    signInAs('proxy_admin');
    const fixture = TestBed.createComponent(UsagePage);
    await fixture.whenStable();
    backend.expectOne((r) => r.url === '/user/daily/activity').flush({ results: [], metadata: {} });
    await fixture.whenStable();

    typeInto(byTestId<HTMLInputElement>('usage-start'), '2026-05-10');
    typeInto(byTestId<HTMLInputElement>('usage-end'), '2026-05-01');
    byTestId('usage-apply')?.click();
    await fixture.whenStable();

    backend.expectNone((r) => r.url === '/user/daily/activity');
    expect(byTestId('usage-error')?.textContent).toContain('start day that comes before');
    expect(fixture.nativeElement.textContent).toContain("Everyone's spend");
  });
});
