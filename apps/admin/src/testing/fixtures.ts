import { provideHttpClient, withInterceptors, withXsrfConfiguration } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import {
  CSRF_COOKIE,
  GeneratedKey,
  Invitation,
  KeyInfo,
  Role,
  SessionInfo,
  User,
} from '@gatehouse/domain';

import { BROWSER_LOCATION } from '../app/core/browser-location';
import { apiErrorInterceptor, authRedirectInterceptor } from '../app/core/interceptors';
import { Session } from '../app/core/session';

/** A stand-in for window.location that records full-page navigations. */
export function fakeLocation() {
  return { assign: vi.fn<(url: string) => void>(), origin: 'https://gatehouse.test' };
}

/** The app's HTTP setup (interceptors, XSRF) against HttpTestingController, and a router. */
export function testProviders(location = fakeLocation()): (Provider | EnvironmentProviders)[] {
  return [
    provideHttpClient(
      withInterceptors([apiErrorInterceptor, authRedirectInterceptor]),
      withXsrfConfiguration({ cookieName: CSRF_COOKIE, headerName: 'X-XSRF-TOKEN' }),
    ),
    provideHttpClientTesting(),
    provideRouter([]),
    { provide: BROWSER_LOCATION, useValue: location },
  ];
}

export function makeUser(role: Role, overrides: Partial<User> = {}): User {
  return {
    user_id: `${role}-id`,
    user_email: `${role.replaceAll('_', '.')}@example.com`,
    user_alias: null,
    user_role: role,
    max_budget: null,
    budget_duration: null,
    budget_reset_at: null,
    spend: 0,
    models: [],
    tpm_limit: null,
    rpm_limit: null,
    metadata: {},
    blocked: false,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeKey(overrides: Partial<KeyInfo> = {}): KeyInfo {
  return {
    token: 'a'.repeat(64),
    key_name: 'sk-...abcd',
    key_alias: 'notebook',
    user_id: 'internal_user-id',
    models: [],
    spend: 1.5,
    max_budget: 10,
    budget_duration: null,
    budget_reset_at: null,
    tpm_limit: null,
    rpm_limit: null,
    max_parallel_requests: null,
    metadata: {},
    blocked: false,
    expires: null,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    created_by: null,
    updated_by: null,
    ...overrides,
  };
}

export function makeGeneratedKey(secret: string, overrides: Partial<KeyInfo> = {}): GeneratedKey {
  const key = makeKey(overrides);

  return { ...key, key: secret, token_id: key.token, duration: null };
}

export function makeInvitation(overrides: Partial<Invitation> = {}): Invitation {
  return {
    id: 'inv-42',
    user_id: 'new-id',
    is_accepted: false,
    accepted_at: null,
    expires_at: '2026-12-10T12:00:00.000Z',
    created_at: '2026-12-03T12:00:00.000Z',
    created_by: null,
    updated_at: '2026-12-03T12:00:00.000Z',
    updated_by: null,
    purpose: 'invitation',
    email_status: 'not_requested',
    email_error: null,
    ...overrides,
  };
}

export function makeSession(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    session_id: 'session-1',
    created_at: '2026-12-01T09:00:00.000Z',
    last_seen_at: '2026-12-03T09:00:00.000Z',
    expires_at: '2026-12-08T09:00:00.000Z',
    user_agent: null,
    ip: '203.0.113.7',
    current: false,
    ...overrides,
  };
}

/** Signs in a user of `role` without HTTP, as if /user/info had answered. */
export function signInAs(role: Role, overrides: Partial<User> = {}): User {
  const user = makeUser(role, overrides);
  TestBed.inject(Session).signedIn(user);

  return user;
}

/** The element with a data-testid anywhere in the document (dialogs live in an overlay). */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.querySelector<T>(`[data-testid="${id}"]`);
}

export function allByTestId(id: string): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
}

/** Clicks the native input of a Material checkbox, as a user clicking its label would. */
export function toggleCheckbox(testId: string): void {
  const input = byTestId(testId)?.querySelector<HTMLInputElement>('input[type="checkbox"]');
  if (!input) {
    throw new Error(`no checkbox ${testId}`);
  }

  input.click();
}

/** Types into an input as a user would, so reactive forms see the change. */
export function typeInto(input: HTMLInputElement | null, value: string): void {
  if (!input) {
    throw new Error('no such input');
  }

  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
}

/** The API's error shape, for flushing failures. */
export function apiError(message: string, code: number, param: string | null = null) {
  return { error: { message, type: 'bad_request_error', param, code: `${code}` } };
}
