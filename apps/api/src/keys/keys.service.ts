import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { addDuration, Role } from '@gatehouse/domain';
import { ApiError } from '../common/api-error';
import { isUniqueViolation } from '../common/database-errors';
import { KeyEntity } from './key.entity';
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

/** A key presented as a credential, with the role of the user it acts for. */
export interface KeyCredential {
  key: KeyEntity;
  ownerRole: Role | null;
}

/** Virtual keys: creation, lookup by secret, and (with the keys API) their whole life. */
@Injectable()
export class KeysService {
  private readonly logger = new Logger('Keys');

  constructor(@InjectRepository(KeyEntity) private readonly keys: Repository<KeyEntity>) {}

  /** Creates a key and returns it with its secret, which is never stored or shown again. */
  async create(
    input: NewKey,
    actor: string,
    manager?: EntityManager,
  ): Promise<{ key: KeyEntity; secret: string }> {
    const secret = input.secret ?? newKeySecret();
    if (input.secret !== undefined) {
      checkCustomSecret(input.secret);
    }

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
      throw error;
    }

    this.logger.log({ keyName: key.keyName, userId: key.userId, actor }, 'key created');

    return { key, secret };
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
      .where('key.token = :token', { token })
      .orWhere('key.previous_token = :token AND key.previous_token_expires_at > now()', { token })
      .getRawAndEntities();

    const key = rows.entities[0];
    if (!key) {
      return null;
    }

    return { key, ownerRole: (rows.raw[0]?.owner_role as Role | null) ?? null };
  }

  async listForUser(userId: string): Promise<KeyEntity[]> {
    return this.keys.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }
}

function checkCustomSecret(secret: string): void {
  if (!secret.startsWith('sk-')) {
    throw ApiError.badRequest('key must start with "sk-"', 'key');
  }
  if (secret.length < 16 || secret.length > 256 || /[^\x21-\x7e]/.test(secret)) {
    throw ApiError.badRequest('key must be 16 to 256 printable characters without spaces', 'key');
  }
}
