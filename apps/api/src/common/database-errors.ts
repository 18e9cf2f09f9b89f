/** True when a write failed on a unique index, optionally a given one. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const cause = causeOf(error);

  return cause?.code === '23505' && (!constraint || cause.constraint === constraint);
}

/** True when a write named a row that does not exist (a foreign key). */
export function isMissingReference(error: unknown): boolean {
  return causeOf(error)?.code === '23503';
}

function causeOf(error: unknown): { code?: string; constraint?: string } | undefined {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })
    ?.driverError;

  return driverError ?? (error as { code?: string; constraint?: string } | undefined);
}
