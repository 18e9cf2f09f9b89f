import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import {
  addDuration,
  DEFAULT_ROLE,
  DeleteUsersResponse,
  NewUserResponse,
  UpdateUserResponse,
  User,
  UserInfoResponse,
  UserListResponse,
} from '@gatehouse/domain';
import { ApiError } from '../common/api-error';
import { isUniqueViolation } from '../common/database-errors';
import { actorOf, Caller } from '../auth/principal';
import { passwordProblem } from '../auth/password-policy';
import { PasswordHasher } from '../auth/password-hasher';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions.service';
import { KeyEvents } from '../keys/key-events';
import { KeysService } from '../keys/keys.service';
import { KeyEntity } from '../keys/key.entity';
import { toKeyInfo } from '../keys/key.mapper';
import { NewUserDto } from './dto/new-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserListQuery } from './dto/user-queries.dto';
import { UserFieldsDto } from './dto/user-fields.dto';
import { UserEntity } from './user.entity';
import { toUser } from './user.mapper';

/** Internal users: the people who sign in and own keys. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: KeysService,
    private readonly keyEvents: KeyEvents,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async create(input: NewUserDto, caller: Caller): Promise<NewUserResponse> {
    const userId = input.user_id ?? randomUUID();
    // Kept as written; uniqueness and sign-in compare emails in any case.
    const email = input.user_email?.trim() ?? null;
    await this.checkFree(userId, email);

    const actor = actorOf(caller);
    const { user, created } = await this.dataSource.transaction(async (manager) => {
      const user = manager.getRepository(UserEntity).create({
        userId,
        email,
        role: input.user_role ?? DEFAULT_ROLE,
        createdBy: actor,
        ...this.fieldsOf(input),
      });
      await this.insert(manager, user);

      // Like LiteLLM, a new user gets a key unless the caller says otherwise.
      const created =
        input.auto_create_key === false
          ? null
          : await this.keys.create(
              { userId, alias: input.key_alias ?? null, duration: input.duration ?? null },
              caller,
              manager,
            );

      const saved = await manager.getRepository(UserEntity).findOneByOrFail({ userId });
      await this.audit.record(
        caller,
        { action: 'user.created', targetType: 'user', targetId: userId, after: toUser(saved) },
        manager,
      );

      return { user: saved, created };
    });

    this.logger.log({ userId, role: user.role, actor }, 'user created');

    if (!created) {
      return { ...toUser(user), key: '' };
    }

    return {
      ...toUser(user),
      key: created.secret,
      key_name: created.key.keyName,
      expires: created.key.expires?.toISOString() ?? null,
      token: created.key.token,
    };
  }

  async info(userId: string | undefined, caller: Caller): Promise<UserInfoResponse> {
    const wanted = userId ?? caller.userId;
    if (!wanted) {
      throw ApiError.badRequest('user_id is required when calling with the master key', 'user_id');
    }
    if (caller.scope === 'own' && wanted !== caller.userId) {
      throw ApiError.forbidden('You can only read your own user');
    }

    const user = await this.findOrFail(wanted);
    const keys = await this.keys.listForUser(wanted);

    return { user_id: wanted, user_info: toUser(user), keys: keys.map(toKeyInfo), teams: [] };
  }

  async list(query: UserListQuery): Promise<UserListResponse> {
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 25;
    const builder = this.users
      .createQueryBuilder('u')
      .addSelect('(SELECT count(*) FROM keys k WHERE k.user_id = u.user_id)', 'key_count');

    if (query.role) {
      builder.andWhere('u.user_role = :role', { role: query.role });
    }
    if (query.user_ids) {
      const ids = query.user_ids
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      builder.andWhere('u.user_id IN (:...ids)', { ids: ids.length > 0 ? ids : [''] });
    }
    if (query.user_email) {
      builder.andWhere(`lower(u.user_email) LIKE :email ESCAPE '\\'`, {
        email: `%${escapeLike(query.user_email.toLowerCase())}%`,
      });
    }

    const order = query.sort_order === 'asc' ? 'ASC' : 'DESC';
    builder
      .orderBy(`u.${query.sort_by ?? 'created_at'}`, order, 'NULLS LAST')
      .addOrderBy('u.user_id', order)
      .offset((page - 1) * pageSize)
      .limit(pageSize);

    const [{ entities, raw }, total] = await Promise.all([
      builder.getRawAndEntities(),
      builder.getCount(),
    ]);

    return {
      users: entities.map((user, index) => ({
        ...toUser(user),
        key_count: Number(raw[index]?.key_count ?? 0),
      })),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    };
  }

  async update(input: UpdateUserDto, caller: Caller): Promise<UpdateUserResponse> {
    const user = await this.findForUpdate(input);
    const changes: Partial<UserEntity> = this.fieldsOf(input);

    if (input.user_id && input.user_email !== undefined) {
      changes.email = input.user_email?.trim() ?? null;
      await this.checkFree(null, changes.email, user.userId);
    }
    if (input.user_role) {
      changes.role = input.user_role;
    }
    if (input.password !== undefined) {
      changes.passwordHash = await this.hashChecked(input.password, user.email);
    }

    const actor = actorOf(caller);
    try {
      await this.users.update({ userId: user.userId }, { ...changes, updatedAt: new Date() });
    } catch (error) {
      // Another request took the email after `checkFree`; the unique index decides.
      if (isUniqueViolation(error, 'users_email_key')) {
        throw ApiError.badRequest('A user with this email already exists', 'user_email');
      }
      throw error;
    }

    // The gateway caches each key with its owner's role, models and limits.
    await this.announceKeysOf(user.userId);
    const after = await this.findOrFail(user.userId);
    await this.audit.record(caller, {
      action: 'user.updated',
      targetType: 'user',
      targetId: user.userId,
      before: toUser(user),
      after: toUser(after),
    });
    this.logger.log({ userId: user.userId, fields: Object.keys(changes), actor }, 'user updated');

    // A new role or password takes effect at once: the user signs in again.
    const roleChanged = changes.role !== undefined && changes.role !== user.role;
    if (roleChanged || changes.passwordHash !== undefined) {
      await this.endSessions(user.userId, caller, roleChanged ? 'role changed' : 'password set');
    }

    return { user_id: user.userId, data: toUser(after) };
  }

  /** Deletes users with their keys, invitations and sessions (by foreign key cascade). */
  async delete(userIds: string[], caller: Caller): Promise<DeleteUsersResponse> {
    const unique = [...new Set(userIds)];

    const deleted = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(UserEntity);
      const found = await repository.find({ where: { userId: In(unique) } });
      const missing = unique.filter((id) => !found.some((user) => user.userId === id));
      if (missing.length > 0) {
        throw ApiError.notFound(`User ${missing[0]} not found`, 'user_ids');
      }

      // Their keys go by cascade; the gateway's cache must hear of each one.
      const keys = await manager.getRepository(KeyEntity).findBy({ userId: In(unique) });
      await repository.delete({ userId: In(unique) });
      for (const user of found) {
        await this.audit.record(
          caller,
          {
            action: 'user.deleted',
            targetType: 'user',
            targetId: user.userId,
            before: toUser(user),
          },
          manager,
        );
      }

      return { count: unique.length, keys };
    });

    for (const key of deleted.keys) {
      this.keyEvents.changed(key.token, key.previousToken);
    }
    this.logger.log({ userIds: unique, actor: actorOf(caller) }, 'users deleted');

    return { deleted_users: deleted.count };
  }

  /** Blocks or unblocks a user: a blocked user cannot sign in and their keys stop working. */
  async setBlocked(userId: string, blocked: boolean, caller: Caller): Promise<User> {
    const user = await this.findOrFail(userId);
    await this.users.update({ userId }, { blocked, updatedAt: new Date() });
    const after = await this.findOrFail(userId);
    await this.audit.record(caller, {
      action: blocked ? 'user.blocked' : 'user.unblocked',
      targetType: 'user',
      targetId: userId,
      before: toUser(user),
      after: toUser(after),
    });

    // The gateway caches keys for a few seconds; a blocked user's keys must stop now.
    await this.announceKeysOf(userId);
    if (blocked) {
      await this.endSessions(userId, caller, 'user blocked');
    }
    this.logger.log({ userId, blocked, actor: actorOf(caller) }, 'user block changed');

    return toUser(after);
  }

  /** Ends every console session of a user, and says so in the audit log. */
  async endSessions(userId: string, caller: Caller, reason: string): Promise<number> {
    const ended = await this.sessions.endAllOf(userId);
    await this.audit.record(caller, {
      action: 'sessions.ended',
      targetType: 'session',
      targetId: userId,
      after: { sessions_ended: ended, reason },
    });
    this.logger.log({ userId, ended, reason }, 'sessions ended');

    return ended;
  }

  async findOrFail(userId: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ userId });
    if (!user) {
      throw ApiError.notFound(`User ${userId} not found`, 'user_id');
    }

    return user;
  }

  /** The user with this email (any case) and their password hash, for signing in. */
  async findForLogin(email: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.user_email) = :email', { email: email.trim().toLowerCase() })
      .getOne();
  }

  async findPasswordHash(userId: string): Promise<string | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.user_id = :userId', { userId })
      .getOne();

    return user?.passwordHash ?? null;
  }

  /** Hashes a password after checking it against the policy (400 naming `param`). */
  async hashChecked(password: string, email: string | null, param = 'password'): Promise<string> {
    const problem = passwordProblem(password, email);
    if (problem) {
      throw ApiError.badRequest(problem, param);
    }

    return this.hasher.hash(password);
  }

  async setPasswordHash(
    userId: string,
    passwordHash: string,
    manager?: EntityManager,
  ): Promise<void> {
    const repository = manager?.getRepository(UserEntity) ?? this.users;
    await repository.update({ userId }, { passwordHash, updatedAt: new Date() });
  }

  async toUserResponse(userId: string): Promise<User> {
    return toUser(await this.findOrFail(userId));
  }

  /** Tells the gateway's key caches, on every instance, that this user's keys changed. */
  private async announceKeysOf(userId: string): Promise<void> {
    for (const key of await this.keys.listForUser(userId)) {
      this.keyEvents.changed(key.token, key.previousToken);
    }
  }

  private fieldsOf(input: UserFieldsDto): Partial<UserEntity> {
    const fields: Partial<UserEntity> = {};
    if (input.user_alias !== undefined) fields.alias = input.user_alias;
    if (input.max_budget !== undefined) fields.maxBudget = input.max_budget;
    if (input.budget_duration !== undefined) {
      fields.budgetDuration = input.budget_duration;
      fields.budgetResetAt = input.budget_duration
        ? addDuration(new Date(), input.budget_duration)
        : null;
    }
    if (input.models !== undefined) fields.models = input.models;
    if (input.tpm_limit !== undefined) fields.tpmLimit = input.tpm_limit;
    if (input.rpm_limit !== undefined) fields.rpmLimit = input.rpm_limit;
    if (input.metadata !== undefined) fields.metadata = input.metadata;

    return fields;
  }

  private async findForUpdate(input: UpdateUserDto): Promise<UserEntity> {
    if (input.user_id) {
      return this.findOrFail(input.user_id);
    }
    if (input.user_email) {
      const user = await this.findForLogin(input.user_email);
      if (!user) {
        throw ApiError.notFound(`User ${input.user_email} not found`, 'user_email');
      }

      return user;
    }

    throw ApiError.badRequest('user_id or user_email is required', 'user_id');
  }

  private async checkFree(
    userId: string | null,
    email: string | null,
    exceptUserId?: string,
  ): Promise<void> {
    if (userId && (await this.users.existsBy({ userId }))) {
      throw ApiError.badRequest(`A user with user_id ${userId} already exists`, 'user_id');
    }

    if (email) {
      const owner = await this.findForLogin(email);
      if (owner && owner.userId !== exceptUserId) {
        throw ApiError.badRequest('A user with this email already exists', 'user_email');
      }
    }
  }

  private async insert(manager: EntityManager, user: UserEntity): Promise<void> {
    try {
      await manager.getRepository(UserEntity).insert(user);
    } catch (error) {
      // Two requests raced past `checkFree`; the unique indexes decide.
      if (isUniqueViolation(error, 'users_email_key')) {
        throw ApiError.badRequest('A user with this email already exists', 'user_email');
      }
      if (isUniqueViolation(error)) {
        throw ApiError.badRequest(`A user with user_id ${user.userId} already exists`, 'user_id');
      }
      throw error;
    }
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}
