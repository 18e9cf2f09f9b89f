import { Injectable, Logger } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { ApiError } from '../common/api-error';
import { UsersService } from '../users/users.service';
import { LoginThrottle } from './login-throttle';
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
    private readonly throttle: LoginThrottle,
  ) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  async validate(
    request: FastifyRequest,
    username: string,
    password: string,
  ): Promise<SignedInUser> {
    const address = request.ip ?? 'unknown';
    this.throttle.check(username, address);

    const user = await this.users.findForLogin(username);
    const valid = await this.hasher.verify(user?.passwordHash ?? null, password);

    // A blocked user gets the same answer as a wrong password: nothing to learn from it.
    if (!user || !valid || user.blocked) {
      this.throttle.failed(username, address);
      const reason = !user ? 'unknown email' : !valid ? 'wrong password' : 'user blocked';
      this.logger.warn({ reason }, 'login refused');
      throw ApiError.unauthenticated('Invalid email or password');
    }

    this.throttle.succeeded(username, address);
    this.logger.log({ userId: user.userId }, 'login succeeded');

    return { userId: user.userId, email: user.email ?? username };
  }
}
