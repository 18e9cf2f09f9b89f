import { KeySortField } from '@gatehouse/domain';
import { ApiError } from '../common/api-error';

/** Where a page of `/key/list` ended: the last key's sort value (as PostgreSQL wrote it). */
export interface KeyCursor {
  sortBy: KeySortField;
  order: 'ASC' | 'DESC';
  /** The sort column's value in PostgreSQL's text form, so timestamps keep microseconds. */
  value: string | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of a small JSON object. */
export function encodeCursor(cursor: KeyCursor): string {
  const { sortBy, order, value, id } = cursor;

  return Buffer.from(JSON.stringify([sortBy, order, value, id])).toString('base64url');
}

/** The cursor a client sent back, which must belong to the same sort order. */
export function decodeCursor(text: string, sortBy: KeySortField, order: 'ASC' | 'DESC') {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }

  if (!Array.isArray(parts) || parts.length !== 4) {
    throw ApiError.badRequest('after is not a cursor this API gave out', 'after');
  }
  const [sentSort, sentOrder, value, id] = parts as unknown[];
  if (sentSort !== sortBy || sentOrder !== order) {
    throw ApiError.badRequest('after belongs to another sort_by or sort_order', 'after');
  }
  if ((value !== null && typeof value !== 'string') || typeof id !== 'string' || !UUID.test(id)) {
    throw ApiError.badRequest('after is not a cursor this API gave out', 'after');
  }

  return { sortBy, order, value, id } satisfies KeyCursor;
}

/**
 * The SQL condition for "after this key" in the order `column order, id order`, written so
 * that the (column, id) index serves it. PostgreSQL puts NULLs first when descending and
 * last when ascending, which the nullable sort columns (max_budget, key_alias) must follow.
 */
export function afterCondition(
  column: string,
  type: string,
  cursor: KeyCursor,
): { sql: string; params: Record<string, string> } {
  const beyond = cursor.order === 'DESC' ? '<' : '>';
  const value = `CAST(:cursorValue AS ${type})`;
  const id = 'CAST(:cursorId AS uuid)';
  const params: Record<string, string> = { cursorId: cursor.id };

  if (cursor.value === null) {
    // Among the NULLs: after them come the values when descending, nothing when ascending.
    const rest = cursor.order === 'DESC' ? ` OR ${column} IS NOT NULL` : '';

    return { sql: `((${column} IS NULL AND key.id ${beyond} ${id})${rest})`, params };
  }

  params.cursorValue = cursor.value;
  const nullsAfter = cursor.order === 'ASC' ? ` OR ${column} IS NULL` : '';

  return { sql: `((${column}, key.id) ${beyond} (${value}, ${id})${nullsAfter})`, params };
}
