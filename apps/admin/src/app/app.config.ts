import { provideHttpClient, withInterceptors, withXsrfConfiguration } from '@angular/common/http';
import {
  ApplicationConfig,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { CSRF_COOKIE } from '@gatehouse/domain';

import { routes } from './app.routes';
import { apiErrorInterceptor, authRedirectInterceptor } from './core/interceptors';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    provideHttpClient(
      // Order matters; see core/interceptors.ts: errors are mapped outermost, 401s handled inside.
      withInterceptors([apiErrorInterceptor, authRedirectInterceptor]),
      // The API refuses cookie-authenticated state changes without this header.
      withXsrfConfiguration({ cookieName: CSRF_COOKIE, headerName: 'X-XSRF-TOKEN' }),
    ),
  ],
};
