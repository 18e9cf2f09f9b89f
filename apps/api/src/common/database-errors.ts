/** True when a write failed on a unique index, optionally a given one. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const cause = causeOf(error);

  return cause?.code === '23505' && (!constraint || cause.constraint === constraint);
}

/** True when a write named a row that does not exist (a foreign key). */
export function isMissingReference(error: unknown): boolean {
  return causeOf(error)?.code === '23503';
}

/** Socket failures of the driver: the server is down, restarting or cut off. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL's own words for the same: connection exceptions (class 08), shutting down or
 * starting up (57P01-57P03), too many connections (53300), a statement timeout (57014).
 */
const SERVER_CODES = /^(08...|57P0[123]|53300|57014)$/;

/** What `pg` and its pool say when a connection is lost or cannot be made in time. */
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
];

/**
 * True when the database could not be reached or dropped the connection, as opposed to
 * refusing the statement: the request may succeed once the database is back.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const cause = causeOf(error) as { code?: unknown; message?: unknown; errors?: unknown };
  if (!cause) {
    return false;
  }

  const code = typeof cause.code === 'string' ? cause.code : '';
  if (NETWORK_CODES.has(code) || SERVER_CODES.test(code)) {
    return true;
  }
  // Connecting to every address of a host name failed (Node's AggregateError).
  if (Array.isArray(cause.errors) && cause.errors.some((inner) => isDatabaseUnreachable(inner))) {
    return true;
  }

  const message = typeof cause.message === 'string' ? cause.message : '';

  return DRIVER_MESSAGES.some((words) => message.includes(words));
}

function causeOf(error: unknown): { code?: string; constraint?: string } | undefined {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })
    ?.driverError;

  return driverError ?? (error as { code?: string; constraint?: string } | undefined);
}
