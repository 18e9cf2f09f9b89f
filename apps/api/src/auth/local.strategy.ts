import { Injectable, Logger } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { ApiError } from '../common/api-error';
import { UsersService } from '../users/users.service';
import { PasswordHasher } from './password-hasher';

export interface SignedInUser {
  userId: string;
  email: string;
}

/**
 * Email and password sign-in. An unknown email costs the same hashing work as a wrong
 * password and gets the same answer, so neither tells which emails exist.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  private readonly logger = new Logger('Login');

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
  ) {
    super({ usernameField: 'username', passwordField: 'password' });
  }

  async validate(username: string, password: string): Promise<SignedInUser> {
    const user = await this.users.findForLogin(username);
    const valid = await this.hasher.verify(user?.passwordHash ?? null, password);

    if (!user || !valid) {
      this.logger.warn({ reason: user ? 'wrong password' : 'unknown email' }, 'login refused');
      throw ApiError.unauthenticated('Invalid email or password');
    }

    this.logger.log({ userId: user.userId }, 'login succeeded');

    return { userId: user.userId, email: user.email ?? username };
  }
}
