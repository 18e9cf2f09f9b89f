import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import {
  DeleteKeysResponse,
  GenerateKeyRequest,
  GeneratedKey,
  KeyInfo,
  KeyListResponse,
} from '@gatehouse/domain';
import { Observable, map } from 'rxjs';

/** One page of keys with full objects (`return_full_object=true`), never bare tokens. */
export interface KeyPage {
  keys: KeyInfo[];
  total: number;
  page: number;
  totalPages: number;
}

/** The virtual-key endpoints. Non-admins get only their own keys; the API scopes that. */
@Injectable({ providedIn: 'root' })
export class KeysApi {
  private readonly http = inject(HttpClient);

  /** A page of keys, `page` counted from 1. */
  list(page: number, size: number): Observable<KeyPage> {
    const params = new HttpParams()
      .set('return_full_object', 'true')
      .set('page', page)
      .set('size', size);

    return this.http.get<KeyListResponse>('/key/list', { params }).pipe(
      map((res) => ({
        keys: res.keys.filter((key): key is KeyInfo => typeof key !== 'string'),
        total: res.total_count,
        page: res.current_page,
        totalPages: res.total_pages,
      })),
    );
  }

  /** Creates a key; the answer carries its secret, which is never shown again. */
  generate(request: GenerateKeyRequest): Observable<GeneratedKey> {
    return this.http.post<GeneratedKey>('/key/generate', request);
  }

  /** Deletes keys by token; all or nothing. */
  delete(tokens: string[]): Observable<DeleteKeysResponse> {
    return this.http.post<DeleteKeysResponse>('/key/delete', { keys: tokens });
  }

  /** Gives a key a new secret; the old one stops working. */
  regenerate(token: string): Observable<GeneratedKey> {
    return this.http.post<GeneratedKey>('/key/regenerate', { key: token });
  }
}
