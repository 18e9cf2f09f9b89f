import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';

import { apiError, byTestId, makeUser, testProviders, typeInto } from '../../testing/fixtures';
import { Session } from '../core/session';
import { LINK_MISSING, LINK_USED_OR_EXPIRED, OnboardingPage } from './onboarding-page';

describe('OnboardingPage', () => {
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [OnboardingPage], providers: testProviders() });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    vi.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  });

  afterEach(() => backend.verify());

  async function open(id: string | undefined): Promise<ComponentFixture<OnboardingPage>> {
    const fixture = TestBed.createComponent(OnboardingPage);
    fixture.componentRef.setInput('id', id);
    await fixture.whenStable();

    return fixture;
  }

  async function openValid(): Promise<ComponentFixture<OnboardingPage>> {
    const fixture = await open('inv-1');
    const req = backend.expectOne((r) => r.url === '/onboarding/get_token');
    expect(req.request.params.get('invite_link')).toBe('inv-1');
    req.flush({
      login_url: '/ui',
      token: 'onb-token',
      user_email: 'new@example.com',
      user_id: 'u1',
    });
    await fixture.whenStable();

    return fixture;
  }

  async function submitPassword(fixture: ComponentFixture<OnboardingPage>, password: string) {
    typeInto(byTestId<HTMLInputElement>('onboarding-password'), password);
    typeInto(byTestId<HTMLInputElement>('onboarding-confirm'), password);
    byTestId('onboarding-submit')?.click();
    await fixture.whenStable();
  }

  it('says the link is used or expired when the API refuses it', async () => {
    const fixture = await open('used-link');
    backend
      .expectOne((r) => r.url === '/onboarding/get_token')
      .flush(apiError('Invitation already used', 401), { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();

    expect(byTestId('onboarding-link-error')?.textContent).toContain(LINK_USED_OR_EXPIRED);
    expect(LINK_USED_OR_EXPIRED).toMatch(/used or has expired.*administrator for a new link/);
    expect(byTestId('onboarding-form')).toBeNull();
    expect(router.navigateByUrl).not.toHaveBeenCalled();
  });

  it('explains that the page needs the link when opened without one', async () => {
    await open(undefined);

    expect(byTestId('onboarding-link-error')?.textContent).toContain(LINK_MISSING);
  });

  it('shows the email and the password policy from the shared rules', async () => {
    await openValid();

    expect(byTestId('onboarding-email')?.textContent).toBe('new@example.com');
    expect(byTestId('onboarding-policy')?.textContent).toContain(
      '12 to 128 characters, not a common password, not your email address',
    );
  });

  it('does not send a password shorter than the policy allows', async () => {
    const fixture = await openValid();

    await submitPassword(fixture, 'short');

    backend.expectNone('/onboarding/claim_token');
    expect(fixture.nativeElement.textContent).toContain('Use at least 12 characters');
  });

  it('shows why a weak password was refused, and lets the user try again', async () => {
    const fixture = await openValid();

    await submitPassword(fixture, 'password1234');
    const claim = backend.expectOne('/onboarding/claim_token');
    expect(claim.request.headers.get('Authorization')).toBe('Bearer onb-token');
    expect(claim.request.body).toEqual({
      invitation_link: 'inv-1',
      user_id: 'u1',
      password: 'password1234',
    });
    claim.flush(apiError('This password is too common', 400, 'password'), {
      status: 400,
      statusText: 'Bad Request',
    });
    await fixture.whenStable();

    expect(byTestId('onboarding-error')?.textContent).toContain('This password is too common');
    expect(byTestId<HTMLButtonElement>('onboarding-submit')?.disabled).toBe(false);

    await submitPassword(fixture, 'a much better passphrase');
    const user = makeUser('internal_user', { user_id: 'u1' });
    backend
      .expectOne('/onboarding/claim_token')
      .flush({ login_url: '/ui?login=success', token: 't', user_email: user.user_email, user });
    await fixture.whenStable();

    expect(router.navigateByUrl).toHaveBeenCalledWith('/keys');
    expect(TestBed.inject(Session).user()?.user_id).toBe('u1');
  });

  it('turns a 401 while claiming into the used-or-expired message', async () => {
    const fixture = await openValid();

    await submitPassword(fixture, 'a long enough passphrase');
    backend
      .expectOne('/onboarding/claim_token')
      .flush(apiError('Invitation expired', 401), { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();

    expect(byTestId('onboarding-link-error')?.textContent).toContain(LINK_USED_OR_EXPIRED);
    expect(byTestId('onboarding-form')).toBeNull();
  });
});
