import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { sha256Hex } from '../common/secrets';
import { credentialOf } from '../auth/credentials';
import { KeyEvents } from '../keys/key-events';
import { KeyCredential, KeysService } from '../keys/keys.service';

/** Long enough to spare the database on busy keys, short enough for changes made elsewhere. */
const TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

/** The key a gateway request is made with: a virtual key, or the master key (no limits). */
export interface GatewayCaller {
  token: string;
  credential: KeyCredential | null;
}

interface Entry {
  credential: KeyCredential | null;
  expiresAt: number;
}

/**
 * Resolves the key of each gateway request, cached in this process for a few seconds so
 * that a cache hit costs no database round trip. A key that is blocked, deleted,
 * regenerated or updated here is dropped from the cache at once; one changed on another
 * instance as soon as that instance's word arrives (`KeyChangeFeed`, over Redis).
 */
@Injectable()
export class GatewayKeys {
  private readonly cache = new Map<string, Entry>();
  private readonly masterToken: string;
  private readonly masterDigest: Buffer;
  /** False while changes made on other instances might go unheard: every lookup is fresh. */
  private cacheTrusted = true;
  /**
   * Counts invalidations. A lookup that a change overtook (read before the change was
   * committed, back after its invalidation) is used once but not cached, or the old key
   * would work for another TTL.
   */
  private invalidations = 0;

  constructor(
    private readonly keys: KeysService,
    private readonly config: AppConfig,
    events: KeyEvents,
  ) {
    this.masterToken = sha256Hex(config.masterKey);
    this.masterDigest = Buffer.from(this.masterToken, 'hex');
    events.onChange((tokens) => this.forget(tokens));
  }

  async authenticate(request: FastifyRequest): Promise<GatewayCaller> {
    const credential = credentialOf(request);
    if (!credential || credential.fromCookie) {
      throw ApiError.unauthenticated('Send your key as Authorization: Bearer sk-...');
    }
    // One digest per request serves both the master key comparison and the key lookup.
    const token = sha256Hex(credential.secret);
    if (timingSafeEqual(Buffer.from(token, 'hex'), this.masterDigest)) {
      return { token: this.masterToken, credential: null };
    }
    if (!credential.secret.startsWith('sk-')) {
      throw ApiError.unauthenticated('Invalid API key');
    }

    const found = await this.lookup(token);
    if (!found) {
      throw ApiError.unauthenticated('Invalid API key');
    }
    if (found.key.blocked) {
      throw new ApiError('key_blocked', 'Key is blocked');
    }
    if (found.ownerBlocked) {
      throw new ApiError('key_blocked', "The key's user is blocked");
    }
    if (found.key.expires && found.key.expires.getTime() <= Date.now()) {
      throw new ApiError('key_expired', `Key expired at ${found.key.expires.toISOString()}`);
    }

    return { token: found.key.token, credential: found };
  }

  /** Forgets every cached key (for instance when another instance says keys changed). */
  clear(): void {
    this.invalidations += 1;
    this.cache.clear();
  }

  /** Forgets these keys (their digests): they changed on another instance. */
  forget(tokens: string[]): void {
    this.invalidations += 1;
    tokens.forEach((token) => this.cache.delete(token));
  }

  /**
   * Whether the cache may answer. Off while this instance cannot hear about changes made
   * elsewhere; cleared either way, since changes may have gone unheard in between.
   */
  trustCache(trusted: boolean): void {
    this.cacheTrusted = trusted;
    this.clear();
  }

  private async lookup(token: string): Promise<KeyCredential | null> {
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached && cached.expiresAt > now) {
      return cached.credential;
    }

    const before = this.invalidations;
    const credential = await this.keys.findCredential(token);
    if (!this.cacheTrusted || this.invalidations !== before) {
      return credential;
    }
    if (this.cache.size >= MAX_ENTRIES) {
      this.cache.clear();
    }
    // A grace-period secret is cached under the digest it was presented with.
    this.cache.set(token, { credential, expiresAt: now + TTL_MS });

    return credential;
  }
}
