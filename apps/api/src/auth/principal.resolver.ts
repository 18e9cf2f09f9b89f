import { Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { secretsEqual } from '../common/secrets';
import { KeysService } from '../keys/keys.service';
import { Credential } from './credentials';
import { Caller, Principal } from './principal';
import { SessionsService } from './sessions.service';

/**
 * Turns a credential into a principal: the master key, a virtual key (`sk-...`), or a
 * console session token. Anything else is a 401.
 */
@Injectable()
export class PrincipalResolver {
  constructor(
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly keys: KeysService,
  ) {}

  async resolve(credential: Credential): Promise<Principal> {
    const { secret } = credential;

    if (!credential.fromCookie && secretsEqual(secret, this.config.masterKey)) {
      return { kind: 'master_key', userId: null, role: 'proxy_admin' };
    }

    if (secret.startsWith('sk-') && !credential.fromCookie) {
      return this.fromKey(secret);
    }

    const session = await this.sessions.resolve(secret);
    if (!session) {
      throw ApiError.unauthenticated('Session expired or invalid; sign in again');
    }

    return { kind: 'session', userId: session.userId, role: session.role, sessionId: session.id };
  }

  private async fromKey(secret: string): Promise<Principal> {
    const found = await this.keys.findCredential(secret);
    if (!found) {
      throw ApiError.unauthenticated('Invalid API key');
    }

    const { key, ownerRole } = found;
    if (key.blocked) {
      throw new ApiError('key_blocked', 'Key is blocked');
    }
    if (found.ownerBlocked) {
      throw new ApiError('key_blocked', "The key's user is blocked");
    }
    if (key.expires && key.expires.getTime() <= Date.now()) {
      throw new ApiError('key_expired', `Key expired at ${key.expires.toISOString()}`);
    }

    return { kind: 'virtual_key', userId: key.userId, role: ownerRole, keyToken: key.token };
  }
}

export type RequestWithCaller = FastifyRequest & { caller?: Caller };
