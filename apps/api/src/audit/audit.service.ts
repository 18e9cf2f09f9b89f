import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { actorOf, Principal } from '../auth/principal';
import { AuditQuery } from './audit.dto';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditChange {
  action: string;
  targetType: 'user' | 'invitation' | 'key' | 'session';
  targetId: string | null;
  /** The target as the API shows it: mappers leave secrets out, so they never get here. */
  before?: object | null;
  after?: object | null;
}

export interface AuditEvent {
  id: string;
  created_at: string;
  actor: string;
  actor_kind: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before: object | null;
  after: object | null;
}

/** The audit log: every change, by whom, before and after. Read by admin roles. */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
  ) {}

  /** Records a change; pass the transaction's manager so it commits with the change. */
  async record(by: Principal, change: AuditChange, manager?: EntityManager): Promise<void> {
    const repository = manager?.getRepository(AuditEventEntity) ?? this.events;

    await repository.insert({
      actor: actorOf(by),
      actorKind: by.kind,
      action: change.action,
      targetType: change.targetType,
      targetId: change.targetId,
      before: change.before ?? null,
      after: change.after ?? null,
    });
  }

  async list(query: AuditQuery): Promise<{
    events: AuditEvent[];
    total: number;
    page: number;
    page_size: number;
    total_pages: number;
  }> {
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 50;
    const builder = this.events.createQueryBuilder('event');

    if (query.actor) builder.andWhere('event.actor = :actor', { actor: query.actor });
    if (query.action) builder.andWhere('event.action = :action', { action: query.action });
    if (query.target_type) {
      builder.andWhere('event.target_type = :type', { type: query.target_type });
    }
    if (query.target_id) builder.andWhere('event.target_id = :id', { id: query.target_id });
    if (query.start_date) {
      builder.andWhere('event.created_at >= :start', { start: instant(query.start_date, false) });
    }
    if (query.end_date) {
      builder.andWhere('event.created_at < :end', { end: instant(query.end_date, true) });
    }

    const [rows, total] = await builder
      .orderBy('event.created_at', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getManyAndCount();

    return {
      events: rows.map(toAuditEvent),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    };
  }
}

/** A date means its whole day in UTC; the end of a range includes that day. */
function instant(text: string, end: boolean): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const value = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(value.getTime())) {
    throw ApiError.badRequest(`${end ? 'end_date' : 'start_date'} is not a valid date`);
  }

  return end && dateOnly ? new Date(value.getTime() + 86_400_000) : value;
}

function toAuditEvent(row: AuditEventEntity): AuditEvent {
  return {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    actor: row.actor,
    actor_kind: row.actorKind,
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
    before: row.before,
    after: row.after,
  };
}
