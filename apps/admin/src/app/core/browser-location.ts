import { DOCUMENT } from '@angular/common';
import { InjectionToken, inject } from '@angular/core';

/**
 * The window's location, behind a token so that tests can watch full-page navigations
 * (logout leaves the app for the server's `/sso/logout`).
 */
export const BROWSER_LOCATION = new InjectionToken<Pick<Location, 'assign' | 'origin'>>(
  'BROWSER_LOCATION',
  { providedIn: 'root', factory: () => inject(DOCUMENT).location },
);
