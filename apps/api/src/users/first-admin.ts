import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PasswordHasher } from '../auth/password-hasher';
import { passwordProblem } from '../auth/password-policy';
import { UserEntity } from './user.entity';

/** Any number agreed by every instance: the lock under which the first admin is made. */
const FIRST_ADMIN_LOCK = 7_310_452;

/**
 * Makes sure somebody can sign in: on a start with no proxy_admin, creates one from
 * UI_USERNAME and UI_PASSWORD, or with a random password that is printed once. Replicas
 * starting together on an empty database take turns under an advisory lock, so exactly
 * one of them creates the admin and the others find it.
 */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  /** Set when this start created the admin; the start-up banner prints it. */
  created: { email: string; generatedPassword: string | null } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.dataSource.getRepository(UserEntity).existsBy({ role: 'proxy_admin' })) {
      return;
    }

    const email = this.config.adminEmail;
    const configured = this.config.adminPassword;
    const problem = configured ? passwordProblem(configured, email) : null;
    if (problem) {
      throw new Error(`UI_PASSWORD is not acceptable: ${problem}`);
    }

    const password = configured ?? randomBytes(18).toString('base64url');
    const passwordHash = await this.hasher.hash(password);
    const created = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);

      return this.createUnlessPresent(manager, email, passwordHash);
    });
    if (!created) {
      return;
    }

    this.created = { email, generatedPassword: configured ? null : password };
    this.logger.log({ email }, 'first admin created');
  }

  /** False when another instance created a proxy_admin while this one was hashing. */
  private async createUnlessPresent(
    manager: EntityManager,
    email: string,
    passwordHash: string,
  ): Promise<boolean> {
    const users = manager.getRepository(UserEntity);
    if (await users.existsBy({ role: 'proxy_admin' })) {
      return false;
    }

    const existing = await users
      .createQueryBuilder('u')
      .where('lower(u.user_email) = :email', { email })
      .getOne();
    if (existing) {
      await users.update({ userId: existing.userId }, { role: 'proxy_admin', passwordHash });
    } else {
      await users.insert({
        userId: randomUUID(),
        email,
        role: 'proxy_admin',
        passwordHash,
        createdBy: 'gatehouse',
      });
    }

    return true;
  }
}
