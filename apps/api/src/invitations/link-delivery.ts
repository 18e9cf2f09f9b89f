import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MailService } from '../mail/mail.service';
import { sendWithRetries } from '../mail/send-with-retries';
import { linkRef } from './link-ref';
import { InvitationEntity } from './invitation.entity';
import { linkMessage } from './link-messages';

/**
 * Emails one-time links after the admin has had their answer, retrying a few times. The
 * outcome is kept on the link (`email_status`, `email_error`), so a failure is visible
 * to the admin and never lost silently.
 */
@Injectable()
export class LinkDelivery implements OnApplicationShutdown {
  private readonly logger = new Logger('LinkDelivery');
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @InjectRepository(InvitationEntity)
    private readonly invitations: Repository<InvitationEntity>,
    private readonly mail: MailService,
  ) {}

  get enabled(): boolean {
    return this.mail.enabled;
  }

  /** Starts sending in the background; the link's status says how it went. */
  send(invitation: InvitationEntity, to: string, link: string): void {
    const work = this.deliver(invitation, to, link).finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Lets emails under way finish (or fail) before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(invitation: InvitationEntity, to: string, link: string): Promise<void> {
    const message = linkMessage(invitation.purpose, to, link, invitation.expiresAt);
    const failure = await sendWithRetries(this.mail, message, (attempt, reason) =>
      this.logger.warn(
        { invitation: linkRef(invitation.id), attempt, err: reason },
        'email failed',
      ),
    );

    if (failure === null) {
      await this.invitations.update(
        { id: invitation.id },
        { emailStatus: 'sent', emailError: null, emailSentAt: new Date() },
      );

      return;
    }

    await this.invitations.update(
      { id: invitation.id },
      { emailStatus: 'failed', emailError: failure },
    );
    this.logger.error({ invitation: linkRef(invitation.id) }, 'email given up after retries');
  }
}
