import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PasswordHasher } from '../auth/password-hasher';
import { passwordProblem } from '../auth/password-policy';
import { UserEntity } from './user.entity';

/**
 * Makes sure somebody can sign in: on a start with no proxy_admin, creates one from
 * UI_USERNAME and UI_PASSWORD, or with a random password that is printed once.
 */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  /** Set when this start created the admin; the start-up banner prints it. */
  created: { email: string; generatedPassword: string | null } | null = null;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.existsBy({ role: 'proxy_admin' })) {
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
    const existing = await this.users
      .createQueryBuilder('u')
      .where('lower(u.user_email) = :email', { email })
      .getOne();

    if (existing) {
      await this.users.update({ userId: existing.userId }, { role: 'proxy_admin', passwordHash });
    } else {
      await this.users.insert({
        userId: randomUUID(),
        email,
        role: 'proxy_admin',
        passwordHash,
        createdBy: 'gatehouse',
      });
    }

    this.created = { email, generatedPassword: configured ? null : password };
    this.logger.log({ email }, 'first admin created');
  }
}
