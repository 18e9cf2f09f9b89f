import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { addDuration, DeleteKeysResponse, GeneratedKey, KeyInfo, Role } from '@gatehouse/domain';
import { ApiError } from '../common/api-error';
import { isMissingReference, isUniqueViolation } from '../common/database-errors';
import { AuditService } from '../audit/audit.service';
import { actorOf, Caller, Principal } from '../auth/principal';
import { GenerateKeyDto, RegenerateKeyDto, UpdateKeyDto } from './dto/key-requests.dto';
import { KeyFieldsDto } from './dto/key-fields.dto';
import { KeyEvents } from './key-events';
import { KeyNotices } from './key-notices';
import { KeyEntity } from './key.entity';
import { toGeneratedKey, toKeyInfo } from './key.mapper';
import { keyNameOf, keyTokenOf, newKeySecret } from './key-secret';

/** What a new key is made of; the owner has been checked by the caller of `create`. */
export interface NewKey {
  userId: string | null;
  alias?: string | null;
  duration?: string | null;
  models?: string[];
  maxBudget?: number | null;
  budgetDuration?: string | null;
  tpmLimit?: number | null;
  rpmLimit?: number | null;
  maxParallelRequests?: number | null;
  metadata?: Record<string, unknown>;
  blocked?: boolean;
  /** A custom secret chosen by the caller instead of a random one. */
  secret?: string;
}

/** A key presented as a credential, with the user it acts for. */
export interface KeyCredential {
  key: KeyEntity;
  ownerRole: Role | null;
  /** A blocked owner's keys are refused, like the owner's sessions. */
  ownerBlocked: boolean;
  /** The owner's own limits, which apply on top of the key's. */
  owner: OwnerLimits | null;
}

export interface OwnerLimits {
  models: string[];
  maxBudget: number | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
}

/**
 * Virtual keys: their creation, changes, regeneration and deletion. "Own only" is
 * enforced here: a caller with the `own` scope can reach only keys whose owner they are.
 */
@Injectable()
export class KeysService {
  private readonly logger = new Logger('Keys');

  constructor(
    @InjectRepository(KeyEntity) private readonly keys: Repository<KeyEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: KeyEvents,
    private readonly audit: AuditService,
    private readonly notices: KeyNotices,
  ) {}

  async generate(input: GenerateKeyDto, caller: Caller): Promise<GeneratedKey> {
    const userId = input.user_id ?? caller.userId;
    if (caller.scope === 'own' && userId !== caller.userId) {
      throw ApiError.forbidden('You can only create keys for yourself');
    }
    if (input.blocked && caller.role !== 'proxy_admin') {
      throw ApiError.forbidden('Only proxy_admin can block keys');
    }

    const { key, secret } = await this.create(
      {
        userId,
        alias: input.key_alias,
        duration: input.duration,
        models: input.models,
        maxBudget: input.max_budget,
        budgetDuration: input.budget_duration,
        tpmLimit: input.tpm_limit,
        rpmLimit: input.rpm_limit,
        maxParallelRequests: input.max_parallel_requests,
        metadata: input.metadata,
        blocked: input.blocked,
        secret: input.key,
      },
      caller,
    );

    const generated = toGeneratedKey(key, secret, input.duration);
    if (!input.send_invite_email) {
      return generated;
    }

    return { ...generated, email_status: await this.notices.notify(key) };
  }

  /** Creates a key and returns it with its secret, which is never stored or shown again. */
  async create(
    input: NewKey,
    by: Principal,
    manager?: EntityManager,
  ): Promise<{ key: KeyEntity; secret: string }> {
    const actor = actorOf(by);
    if (input.secret !== undefined) {
      checkCustomSecret(input.secret);
    }

    const secret = input.secret ?? newKeySecret();
    const now = new Date();
    const repository = manager?.getRepository(KeyEntity) ?? this.keys;
    const key = repository.create({
      token: keyTokenOf(secret),
      keyName: keyNameOf(secret),
      alias: input.alias ?? null,
      userId: input.userId,
      models: input.models ?? [],
      maxBudget: input.maxBudget ?? null,
      budgetDuration: input.budgetDuration ?? null,
      budgetResetAt: input.budgetDuration ? addDuration(now, input.budgetDuration) : null,
      tpmLimit: input.tpmLimit ?? null,
      rpmLimit: input.rpmLimit ?? null,
      maxParallelRequests: input.maxParallelRequests ?? null,
      metadata: input.metadata ?? {},
      blocked: input.blocked ?? false,
      expires: input.duration ? addDuration(now, input.duration) : null,
      createdBy: actor,
      updatedBy: actor,
      createdAt: now,
      updatedAt: now,
    });

    try {
      await repository.insert(key);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw ApiError.badRequest('This key already exists; choose another value', 'key');
      }
      if (isMissingReference(error)) {
        throw ApiError.badRequest(`User ${input.userId} not found`, 'user_id');
      }
      throw error;
    }

    this.logger.log({ keyName: key.keyName, userId: key.userId, actor }, 'key created');
    this.events.changed(key.token);

    // Read back rather than trust the insert: TypeORM leaves database defaults untransformed.
    const saved = await repository.findOneByOrFail({ id: key.id });
    await this.audit.record(
      by,
      { action: 'key.created', targetType: 'key', targetId: saved.token, after: toKeyInfo(saved) },
      manager,
    );

    return { key: saved, secret };
  }

  /** A key the caller may see: the caller's own, any for admins, or the calling key itself. */
  async info(keyRef: string | undefined, caller: Caller): Promise<{ key: string; info: KeyInfo }> {
    const ref = keyRef ?? caller.keyToken;
    if (!ref) {
      throw ApiError.badRequest('key is required unless you call with a key', 'key');
    }

    const key = await this.findOrFail(ref);
    const isCallingKey = caller.keyToken === key.token;
    if (!isCallingKey) {
      this.checkOwner(key, caller);
    }

    return { key: key.token, info: toKeyInfo(key) };
  }

  async update(input: UpdateKeyDto, caller: Caller): Promise<KeyInfo> {
    const key = await this.findOrFail(input.key);
    this.checkOwner(key, caller);
    this.checkOwnerChange(input, caller);

    await this.save(key, this.changesFrom(key, input), caller, 'key.updated');

    return toKeyInfo(await this.findOrFail(key.token));
  }

  /**
   * A new secret for the same key row. The old secret keeps working for `grace_period`,
   * or stops at once.
   */
  async regenerate(input: RegenerateKeyDto, caller: Caller): Promise<GeneratedKey> {
    if (!input.key) {
      throw ApiError.badRequest('key is required', 'key');
    }

    const key = await this.findOrFail(input.key);
    this.checkOwner(key, caller);
    this.checkOwnerChange(input, caller);

    const secret = newKeySecret();
    const graceEnds = input.grace_period ? addDuration(new Date(), input.grace_period) : null;
    await this.save(
      key,
      {
        ...this.changesFrom(key, input),
        token: keyTokenOf(secret),
        keyName: keyNameOf(secret),
        previousToken: graceEnds ? key.token : null,
        previousTokenExpiresAt: graceEnds,
      },
      caller,
      'key.regenerated',
    );
    this.logger.log({ keyId: key.id, graceEnds, actor: actorOf(caller) }, 'key regenerated');

    return toGeneratedKey(await this.findOrFail(keyTokenOf(secret)), secret, input.duration);
  }

  async setBlocked(keyRef: string, blocked: boolean, caller: Caller): Promise<KeyInfo> {
    const key = await this.findOrFail(keyRef);
    await this.save(key, { blocked }, caller, blocked ? 'key.blocked' : 'key.unblocked');
    this.logger.log(
      { keyId: key.id, actor: actorOf(caller) },
      blocked ? 'key blocked' : 'key unblocked',
    );

    return toKeyInfo(await this.findOrFail(key.token));
  }

  /** Deletes every key named, or none: one the caller does not own makes it a 403. */
  async delete(
    refs: { keys?: string[]; aliases?: string[] },
    caller: Caller,
  ): Promise<DeleteKeysResponse> {
    const wanted = refs.keys ?? [];
    const aliases = refs.aliases ?? [];
    if (wanted.length === 0 && aliases.length === 0) {
      throw ApiError.badRequest('Name the keys to delete in keys or key_aliases', 'keys');
    }

    const deleted = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(KeyEntity);
      const byToken = await repository.findBy({ token: In(wanted.map(keyTokenOf)) });
      const missing = wanted.find((ref) => !byToken.some((k) => k.token === keyTokenOf(ref)));
      if (missing) {
        throw ApiError.notFound('Key not found', 'keys');
      }

      const byAlias = aliases.length > 0 ? await this.findByAliases(manager, aliases, caller) : [];
      const unknownAlias = aliases.find((alias) => !byAlias.some((k) => k.alias === alias));
      if (unknownAlias !== undefined) {
        throw ApiError.notFound(`No key has the alias ${unknownAlias}`, 'key_aliases');
      }

      const found = [...byToken, ...byAlias];
      for (const key of found) {
        this.checkOwner(key, caller);
      }

      await repository.delete({ id: In(found.map((key) => key.id)) });
      for (const key of found) {
        await this.audit.record(
          caller,
          { action: 'key.deleted', targetType: 'key', targetId: key.token, before: toKeyInfo(key) },
          manager,
        );
      }

      return found;
    });

    for (const key of deleted) {
      this.events.changed(key.token, key.previousToken);
    }
    this.logger.log(
      { keyIds: deleted.map((key) => key.id), actor: actorOf(caller) },
      'keys deleted',
    );

    return { deleted_keys: [...new Set(deleted.map((key) => key.token))] };
  }

  /**
   * The key behind a secret, including a regenerated key's previous secret while its
   * grace period lasts. The caller decides what blocked or expired means.
   */
  async findCredential(secret: string): Promise<KeyCredential | null> {
    const token = keyTokenOf(secret);
    const rows = await this.keys
      .createQueryBuilder('key')
      .leftJoin('users', 'owner', 'owner.user_id = key.user_id')
      .addSelect('owner.user_role', 'owner_role')
      .addSelect('owner.blocked', 'owner_blocked')
      .addSelect('owner.models', 'owner_models')
      .addSelect('owner.max_budget', 'owner_max_budget')
      .addSelect('owner.tpm_limit', 'owner_tpm_limit')
      .addSelect('owner.rpm_limit', 'owner_rpm_limit')
      .where('key.token = :token', { token })
      .orWhere('key.previous_token = :token AND key.previous_token_expires_at > now()', { token })
      .getRawAndEntities();

    const key = rows.entities[0];
    const raw = rows.raw[0];
    if (!key) {
      return null;
    }

    const owner: OwnerLimits | null = raw?.owner_role
      ? {
          models: raw.owner_models ?? [],
          maxBudget: raw.owner_max_budget === null ? null : Number(raw.owner_max_budget),
          tpmLimit: raw.owner_tpm_limit,
          rpmLimit: raw.owner_rpm_limit,
        }
      : null;

    return {
      key,
      ownerRole: (raw?.owner_role as Role | null) ?? null,
      ownerBlocked: raw?.owner_blocked === true,
      owner,
    };
  }

  async listForUser(userId: string): Promise<KeyEntity[]> {
    return this.keys.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  private async findOrFail(ref: string): Promise<KeyEntity> {
    const key = await this.keys.findOneBy({ token: keyTokenOf(ref) });
    if (!key) {
      throw ApiError.notFound('Key not found', 'key');
    }

    return key;
  }

  private async findByAliases(
    manager: EntityManager,
    aliases: string[],
    caller: Caller,
  ): Promise<KeyEntity[]> {
    // An internal user's aliases name their own keys; another user's key with the same
    // alias is not theirs to delete, nor to learn about.
    const where = caller.scope === 'own' ? { userId: caller.userId ?? '' } : {};

    return manager.getRepository(KeyEntity).findBy({ ...where, alias: In(aliases) });
  }

  private checkOwner(key: KeyEntity, caller: Caller): void {
    if (caller.scope === 'own' && (caller.userId === null || key.userId !== caller.userId)) {
      throw ApiError.forbidden('This key belongs to another user');
    }
  }

  /** An internal user may neither hand a key to someone else nor block or unblock it. */
  private checkOwnerChange(input: KeyFieldsDto, caller: Caller): void {
    if (caller.scope === 'own' && input.user_id !== undefined && input.user_id !== caller.userId) {
      throw ApiError.forbidden('You cannot give a key to another user');
    }
    if (input.blocked !== undefined && caller.role !== 'proxy_admin') {
      throw ApiError.forbidden('Only proxy_admin can block or unblock keys');
    }
  }

  /**
   * The columns a request changes. A `duration` counts from the key's creation, as on
   * `/key/generate`, so a key's expiry always reads as created_at + duration.
   */
  private changesFrom(key: KeyEntity, input: KeyFieldsDto): Partial<KeyEntity> {
    const now = new Date();
    const changes: Partial<KeyEntity> = {};
    if (input.key_alias !== undefined) changes.alias = input.key_alias;
    if (input.models !== undefined) changes.models = input.models;
    if (input.max_budget !== undefined) changes.maxBudget = input.max_budget;
    if (input.tpm_limit !== undefined) changes.tpmLimit = input.tpm_limit;
    if (input.rpm_limit !== undefined) changes.rpmLimit = input.rpm_limit;
    if (input.max_parallel_requests !== undefined) {
      changes.maxParallelRequests = input.max_parallel_requests;
    }
    if (input.metadata !== undefined) changes.metadata = input.metadata;
    if (input.user_id !== undefined) changes.userId = input.user_id;
    if (input.blocked !== undefined) changes.blocked = input.blocked;
    if (input.duration !== undefined) {
      changes.expires = input.duration ? addDuration(key.createdAt, input.duration) : null;
    }
    if (input.budget_duration !== undefined) {
      changes.budgetDuration = input.budget_duration;
      changes.budgetResetAt = input.budget_duration
        ? addDuration(now, input.budget_duration)
        : null;
    }

    return changes;
  }

  private async save(
    key: KeyEntity,
    changes: Partial<KeyEntity>,
    caller: Caller,
    action: string,
  ): Promise<void> {
    try {
      await this.keys.update(
        { id: key.id },
        { ...changes, updatedAt: new Date(), updatedBy: actorOf(caller) },
      );
    } catch (error) {
      if (isMissingReference(error)) {
        throw ApiError.badRequest(`User ${changes.userId} not found`, 'user_id');
      }
      throw error;
    }

    this.events.changed(key.token, key.previousToken);
    const after = await this.keys.findOneBy({ id: key.id });
    await this.audit.record(caller, {
      action,
      targetType: 'key',
      targetId: after?.token ?? key.token,
      before: toKeyInfo(key),
      after: after ? toKeyInfo(after) : null,
    });
  }
}

function checkCustomSecret(secret: string): void {
  if (!secret.startsWith('sk-')) {
    throw ApiError.badRequest('key must start with "sk-"', 'key');
  }
  if (secret.length < 16 || /[^\x21-\x7e]/.test(secret)) {
    throw ApiError.badRequest('key must be at least 16 printable characters without spaces', 'key');
  }
}
