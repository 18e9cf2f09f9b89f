import { HttpErrorResponse } from '@angular/common/http';

import { ApiError, errorMessage, toApiError } from './api-error';

describe('toApiError', () => {
  it("takes the message, param and type from the API's error body", () => {
    const err = toApiError(
      new HttpErrorResponse({
        status: 400,
        error: {
          error: { message: 'Invalid duration', type: 'bad_request_error', param: 'duration' },
        },
      }),
    );

    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('Invalid duration');
    expect(err.status).toBe(400);
    expect(err.param).toBe('duration');
    expect(err.type).toBe('bad_request_error');
  });

  it('says the server cannot be reached when there was no answer', () => {
    const err = toApiError(new HttpErrorResponse({ status: 0, statusText: 'Unknown Error' }));

    expect(err.status).toBe(0);
    expect(err.message).toContain('Cannot reach the Gatehouse server');
  });

  it('falls back to the status when the body says nothing useful', () => {
    const err = toApiError(
      new HttpErrorResponse({ status: 502, statusText: 'Bad Gateway', error: null }),
    );

    expect(err.message).toBe('The request failed (502 Bad Gateway).');
  });

  it('reads a flat message body and plain text bodies', () => {
    expect(
      errorMessage(new HttpErrorResponse({ status: 413, error: { message: 'Too big' } })),
    ).toBe('Too big');
    expect(errorMessage(new HttpErrorResponse({ status: 503, error: 'Down for upgrade' }))).toBe(
      'Down for upgrade',
    );
  });

  it('keeps an ApiError as it is', () => {
    const err = new ApiError('Nope', 403);

    expect(toApiError(err)).toBe(err);
  });
});
