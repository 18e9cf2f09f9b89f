import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { DailyActivityResponse } from '@gatehouse/domain';
import { Observable } from 'rxjs';

/** Spend per day. Admin roles get everyone's activity, others their own; the API scopes it. */
@Injectable({ providedIn: 'root' })
export class UsageApi {
  private readonly http = inject(HttpClient);

  /** Activity from `start` to `end`, both `YYYY-MM-DD` and inclusive. */
  daily(start: string, end: string): Observable<DailyActivityResponse> {
    const params = new HttpParams().set('start_date', start).set('end_date', end);

    return this.http.get<DailyActivityResponse>('/user/daily/activity', { params });
  }
}
