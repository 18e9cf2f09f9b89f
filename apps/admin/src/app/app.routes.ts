import { Routes } from '@angular/router';

import { authGuard, permissionGuard, rootRedirect } from './core/guards';

/**
 * The console's routes, served under /ui. Pages load lazily; the signed-in pages sit inside the
 * shell behind authGuard, and each checks the shared permission matrix.
 */
export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Gatehouse',
    loadComponent: () => import('./login/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'onboarding',
    title: 'Set your password · Gatehouse',
    loadComponent: () => import('./onboarding/onboarding-page').then((m) => m.OnboardingPage),
  },
  { path: '', pathMatch: 'full', redirectTo: rootRedirect },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      {
        path: 'keys',
        title: 'Virtual Keys · Gatehouse',
        canActivate: [permissionGuard('keys.read')],
        loadComponent: () => import('./keys/keys-page').then((m) => m.KeysPage),
      },
      {
        path: 'users',
        title: 'Internal Users · Gatehouse',
        canActivate: [permissionGuard('users.list')],
        loadComponent: () => import('./users/users-page').then((m) => m.UsersPage),
      },
      {
        path: 'usage',
        title: 'Usage · Gatehouse',
        canActivate: [permissionGuard('spend.read')],
        loadComponent: () => import('./usage/usage-page').then((m) => m.UsagePage),
      },
    ],
  },
  { path: '**', redirectTo: 'keys' },
];
