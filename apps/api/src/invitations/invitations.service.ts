import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { FastifyRequest } from 'fastify';
import { DataSource, Repository } from 'typeorm';
import {
  ClaimInvitationResponse,
  Invitation,
  INVITATION_TTL_MS,
  OnboardingTokenResponse,
  PASSWORD_RESET_TTL_MS,
} from '@gatehouse/domain';
import { AppConfig } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { linkRef } from './link-ref';
import { returnedRowCount } from '../common/query-result';
import { clientOf } from '../auth/auth.service';
import { actorOf, Caller } from '../auth/principal';
import { SessionsService } from '../auth/sessions.service';
import { UsersService } from '../users/users.service';
import { AuditService } from '../audit/audit.service';
import { ClaimInvitationDto } from './dto/invitation.dto';
import { LinkDelivery } from './link-delivery';
import { LinkPurpose } from './link-messages';
import { InvitationEntity } from './invitation.entity';
import { toInvitation } from './invitation.mapper';
import { OnboardingTokens } from './onboarding-token';

/** One answer for every bad link, so that a guesser learns nothing about which ids exist. */
const LINK_REFUSED = 'This invitation link is invalid, already used or expired';

/** Invitation links, and onboarding: turning a link into a password and a session. */
@Injectable()
export class InvitationsService {
  private readonly logger = new Logger('Invitations');
  private readonly tokens: OnboardingTokens;

  constructor(
    @InjectRepository(InvitationEntity)
    private readonly invitations: Repository<InvitationEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly delivery: LinkDelivery,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {
    this.tokens = new OnboardingTokens(config.masterKey);
  }

  /** A link for a user to set their password, emailed to them when asked and SMTP is on. */
  async create(userId: string, caller: Caller, sendEmail = false): Promise<Invitation> {
    return this.issue('invitation', userId, caller, sendEmail);
  }

  /**
   * Refuses, before anything is written, to email a link to someone without an address.
   * Without SMTP nothing is sent anyway and the invitation says so.
   */
  checkCanEmail(email: string | null | undefined): void {
    if (this.delivery.enabled && !email) {
      throw ApiError.badRequest('The user has no email address to send to', 'send_invite_email');
    }
  }

  /**
   * An admin-started password reset: a one-day link like an invitation, so the admin
   * never sees or sets the password. Earlier open reset links of the user stop working.
   */
  async createReset(userId: string, caller: Caller): Promise<Invitation> {
    return this.issue('password_reset', userId, caller, true);
  }

  private async issue(
    purpose: LinkPurpose,
    userId: string,
    caller: Caller,
    sendEmail: boolean,
  ): Promise<Invitation> {
    const user = await this.users.findOrFail(userId).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) {
        return null;
      }
      throw error;
    });
    if (!user) {
      throw ApiError.badRequest(`User ${userId} not found`, 'user_id');
    }
    if (sendEmail) {
      this.checkCanEmail(user.email);
    }

    const now = new Date();
    const actor = actorOf(caller);
    const ttl = purpose === 'invitation' ? INVITATION_TTL_MS : PASSWORD_RESET_TTL_MS;
    const invitation = this.invitations.create({
      userId,
      purpose,
      expiresAt: new Date(now.getTime() + ttl),
      createdAt: now,
      updatedAt: now,
      createdBy: actor,
      updatedBy: actor,
      emailStatus: !sendEmail ? 'not_requested' : this.delivery.enabled ? 'pending' : 'disabled',
      emailError: null,
      emailSentAt: null,
    });

    await this.dataSource.transaction(async (manager) => {
      if (purpose === 'password_reset') {
        await manager.delete(InvitationEntity, { userId, purpose, isAccepted: false });
      }
      await manager.insert(InvitationEntity, invitation);
      await this.audit.record(
        caller,
        {
          action: purpose === 'invitation' ? 'invitation.created' : 'password.reset_issued',
          targetType: 'invitation',
          targetId: invitation.id,
          after: toInvitation(invitation),
        },
        manager,
      );
    });
    this.logger.log({ invitation: linkRef(invitation.id), userId, purpose, actor }, 'link created');

    if (invitation.emailStatus === 'pending' && user.email) {
      this.delivery.send(invitation, user.email, this.linkFor(invitation.id));
    }

    return toInvitation(invitation);
  }

  linkFor(invitationId: string): string {
    return `${this.config.baseUrl}/ui/onboarding?id=${invitationId}`;
  }

  async info(invitationId: string): Promise<Invitation> {
    return toInvitation(await this.findOrFail(invitationId));
  }

  async update(invitationId: string, isAccepted: boolean, caller: Caller): Promise<Invitation> {
    const invitation = await this.findOrFail(invitationId);
    const now = new Date();

    await this.invitations.update(
      { id: invitation.id },
      {
        isAccepted,
        acceptedAt: isAccepted ? (invitation.acceptedAt ?? now) : null,
        updatedAt: now,
        updatedBy: actorOf(caller),
      },
    );
    const after = await this.info(invitationId);
    await this.audit.record(caller, {
      action: 'invitation.updated',
      targetType: 'invitation',
      targetId: invitationId,
      before: toInvitation(invitation),
      after,
    });

    return after;
  }

  async delete(invitationId: string, caller: Caller): Promise<Invitation> {
    const invitation = await this.findOrFail(invitationId);
    await this.invitations.delete({ id: invitation.id });
    await this.audit.record(caller, {
      action: 'invitation.deleted',
      targetType: 'invitation',
      targetId: invitationId,
      before: toInvitation(invitation),
    });
    this.logger.log(
      { invitation: linkRef(invitationId), actor: actorOf(caller) },
      'invitation deleted',
    );

    return toInvitation(invitation);
  }

  /** Checks a link and hands out a 15-minute token for setting the password. Writes nothing. */
  async onboardingToken(invitationId: string): Promise<OnboardingTokenResponse> {
    if (!isUuid(invitationId)) {
      throw ApiError.unauthenticated(LINK_REFUSED);
    }

    const invitation = await this.invitations.findOneBy({ id: invitationId });
    if (!invitation || !isOpen(invitation)) {
      throw ApiError.unauthenticated(LINK_REFUSED);
    }

    const user = await this.users.findOrFail(invitation.userId);

    return {
      login_url: `${this.config.baseUrl}/ui?login=success`,
      token: this.tokens.issue(invitation.id),
      user_email: user.email,
      user_id: user.userId,
    };
  }

  /**
   * Claims a link: in one transaction, accepts the invitation only if it is still open
   * (one conditional UPDATE, so of concurrent claims exactly one wins), sets the password
   * and opens a session.
   */
  async claim(
    token: string | null,
    input: ClaimInvitationDto,
    request: FastifyRequest,
  ): Promise<ClaimInvitationResponse & { sessionToken: string }> {
    const invitationId = token ? this.tokens.verify(token) : null;
    if (!invitationId || invitationId !== input.invitation_link) {
      throw ApiError.unauthenticated(LINK_REFUSED);
    }

    const invitation = await this.invitations.findOneBy({ id: invitationId });
    if (!invitation || invitation.userId !== input.user_id || !isOpen(invitation)) {
      throw ApiError.unauthenticated(LINK_REFUSED);
    }

    // Checked before anything is written: a weak password leaves the link usable.
    const user = await this.users.findOrFail(invitation.userId);
    const passwordHash = await this.users.hashChecked(input.password, user.email);

    const sessionToken = await this.dataSource.transaction(async (manager) => {
      const claimed: unknown[] = await manager.query(
        `UPDATE invitations
            SET is_accepted = true, accepted_at = now(), updated_at = now(), updated_by = $2
          WHERE id = $1 AND user_id = $2 AND NOT is_accepted AND expires_at > now()
        RETURNING id`,
        [invitationId, input.user_id],
      );
      if (returnedRowCount(claimed) === 0) {
        throw ApiError.unauthenticated(LINK_REFUSED);
      }

      await this.users.setPasswordHash(user.userId, passwordHash, manager);
      if (invitation.purpose === 'password_reset') {
        // A reset is for an account that may be in the wrong hands: end every session.
        await manager.query('DELETE FROM sessions WHERE user_id = $1', [user.userId]);
      }

      return this.sessions.open(user.userId, clientOf(request), manager);
    });

    this.logger.log(
      { invitation: linkRef(invitationId), userId: user.userId },
      'invitation claimed',
    );

    return {
      login_url: `${this.config.baseUrl}/ui?login=success`,
      token: sessionToken,
      user_email: user.email,
      user: await this.users.toUserResponse(user.userId),
      sessionToken,
    };
  }

  private async findOrFail(invitationId: string): Promise<InvitationEntity> {
    const invitation = await this.invitations.findOneBy({ id: invitationId });
    if (!invitation) {
      throw ApiError.notFound(`Invitation ${invitationId} not found`, 'invitation_id');
    }

    return invitation;
  }
}

/** Invitation ids are uuids; anything else cannot name one (and would upset the uuid column). */
function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

function isOpen(invitation: InvitationEntity): boolean {
  return !invitation.isAccepted && invitation.expiresAt.getTime() > Date.now();
}
