import { isDatabaseUnreachable } from './database-errors';

/** An error as `pg` raises it, wrapped the way TypeORM wraps a failed query. */
function queryFailed(driverError: object): Error {
  return Object.assign(new Error('query failed'), { driverError });
}

describe('telling a database that went away from one that refused a statement', () => {
  it('recognises lost and refused connections, and timeouts', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });

    expect(isDatabaseUnreachable(refused)).toBe(true);
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnreachable(queryFailed({ code: '57P01', message: 'terminating' }))).toBe(
      true,
    );
    expect(isDatabaseUnreachable(queryFailed({ code: '08006' }))).toBe(true);
    expect(isDatabaseUnreachable(new AggregateError([refused], 'all addresses failed'))).toBe(true);
  });

  it('leaves statement errors and our own bugs alone', () => {
    expect(isDatabaseUnreachable(queryFailed({ code: '23505' }))).toBe(false);
    expect(isDatabaseUnreachable(queryFailed({ code: '42P01' }))).toBe(false);
    expect(isDatabaseUnreachable(new TypeError('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });
});
