/**
 * How many rows an UPDATE or DELETE ... RETURNING gave back. TypeORM's `query` answers
 * those with `[rows, count]` on PostgreSQL, and a SELECT with the rows alone.
 */
export function returnedRowCount(result: unknown): number {
  if (Array.isArray(result) && Array.isArray(result[0])) {
    return result[0].length;
  }

  return Array.isArray(result) ? result.length : 0;
}
