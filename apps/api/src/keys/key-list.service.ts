import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository, SelectQueryBuilder } from 'typeorm';
import { KeyListResponse } from '@gatehouse/domain';
import { ApiError } from '../common/api-error';
import { Caller } from '../auth/principal';
import { KeyListQuery } from './dto/key-requests.dto';
import { afterCondition, decodeCursor, encodeCursor } from './key-cursor';
import { KeyEntity } from './key.entity';
import { toKeyInfo } from './key.mapper';
import { keyTokenOf } from './key-secret';

/**
 * Sort fields, their columns and SQL types; each column has an index of (column, id) that
 * a page walks.
 */
const SORT_COLUMNS = {
  created_at: { column: 'key.created_at', type: 'timestamptz' },
  updated_at: { column: 'key.updated_at', type: 'timestamptz' },
  spend: { column: 'key.spend', type: 'numeric' },
  max_budget: { column: 'key.max_budget', type: 'numeric' },
  key_alias: { column: 'key.key_alias', type: 'text' },
} as const;

/**
 * `/key/list`: pages of keys, the caller's own for internal roles, everyone's for admins.
 * Built to stay fast with a million keys: every sort order walks an index (the page's ids
 * first, from the index alone), and the unfiltered total comes from a counter kept by
 * triggers instead of counting rows.
 *
 * Two ways to page. `page` (as LiteLLM) skips `(page - 1) * size` index entries, so a deep
 * page costs in proportion to its depth (about 40 ms at offset 500,000 on two cores).
 * `after`, the `next_cursor` of the previous answer, starts right behind the last key
 * shown (keyset pagination): every page costs what the first one does.
 */
@Injectable()
export class KeyListService {
  constructor(
    @InjectRepository(KeyEntity) private readonly keys: Repository<KeyEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(query: KeyListQuery, caller: Caller): Promise<KeyListResponse> {
    const page = query.page ?? 1;
    const size = query.size ?? 10;
    const userId = this.ownerFilter(query.user_id, caller);

    const builder = this.keys.createQueryBuilder('key');
    if (userId !== undefined) {
      builder.andWhere('key.user_id = :userId', { userId });
    }
    if (query.key_alias !== undefined) {
      builder.andWhere('key.key_alias = :alias', { alias: query.key_alias });
    }
    if (query.key_hash !== undefined) {
      builder.andWhere('key.token = :token', { token: keyTokenOf(query.key_hash) });
    }

    const filtered = userId !== undefined || query.key_alias !== undefined || !!query.key_hash;
    const total = filtered ? await builder.getCount() : await this.totalKeys();

    const sortBy = query.sort_by ?? 'created_at';
    const order = query.sort_order === 'asc' ? 'ASC' : 'DESC';
    const { column, type } = SORT_COLUMNS[sortBy];
    // First the page's ids alone: an index-only scan, even far into the list. Then the rows.
    const idsQuery = builder
      .select('key.id', 'id')
      .addSelect(column, 'sort_value')
      .orderBy(column, order)
      .addOrderBy('key.id', order)
      .limit(size);
    if (query.after) {
      const after = afterCondition(column, type, decodeCursor(query.after, sortBy, order));
      idsQuery.andWhere(after.sql, after.params);
    } else {
      idsQuery.offset((page - 1) * size);
    }

    const ids = await this.pageIds(idsQuery, order);
    const keys = await this.inOrder(ids.map((row) => row.id));
    const last = ids.at(-1);
    const full = ids.length === size;

    return {
      keys: query.return_full_object ? keys.map(toKeyInfo) : keys.map((key) => key.token),
      total_count: total,
      current_page: page,
      total_pages: Math.ceil(total / size),
      next_cursor:
        full && last ? encodeCursor({ sortBy, order, value: last.sort_value, id: last.id }) : null,
    };
  }

  /** Internal roles list only their own keys; asking for another user's is refused. */
  private ownerFilter(wanted: string | undefined, caller: Caller): string | undefined {
    if (caller.scope === 'all') {
      return wanted;
    }
    if (wanted !== undefined && wanted !== caller.userId) {
      throw ApiError.forbidden('You can only list your own keys');
    }

    return caller.userId ?? '';
  }

  /**
   * Runs the ids query, with each sort value as PostgreSQL's text (a timestamp in a
   * JavaScript Date would lose its microseconds, and the cursor its place). The text is
   * made outside the query: rows skipped by OFFSET are still computed, and converting half
   * a million timestamps would double the cost of a deep page.
   */
  private async pageIds(
    idsQuery: SelectQueryBuilder<KeyEntity>,
    order: 'ASC' | 'DESC',
  ): Promise<{ id: string; sort_value: string | null }[]> {
    const [sql, params] = idsQuery.getQueryAndParameters();

    return this.dataSource.query(
      `SELECT page.id, page.sort_value::text AS sort_value FROM (${sql}) page
        ORDER BY page.sort_value ${order}, page.id ${order}`,
      params,
    );
  }

  private async inOrder(ids: string[]): Promise<KeyEntity[]> {
    if (ids.length === 0) {
      return [];
    }

    const rows = await this.keys.findBy({ id: In(ids) });
    const byId = new Map(rows.map((key) => [key.id, key]));

    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  private async totalKeys(): Promise<number> {
    const rows: { total: string }[] = await this.dataSource.query('SELECT total FROM key_totals');

    return Number(rows[0]?.total ?? 0);
  }
}
