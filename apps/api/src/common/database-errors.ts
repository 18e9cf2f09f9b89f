/** True when a write failed on a unique index, optionally a given one. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })
    .driverError;
  const cause = driverError ?? (error as { code?: string; constraint?: string });

  return cause?.code === '23505' && (!constraint || cause.constraint === constraint);
}
