import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { escapeHtml } from '../mail/html';
import { MailService, Message } from '../mail/mail.service';
import { sendWithRetries } from '../mail/send-with-retries';
import { KeyEntity } from './key.entity';

/** What became of `send_invite_email` on `/key/generate`. */
export type KeyNoticeStatus = 'pending' | 'disabled' | 'no_email';

/**
 * Tells a key's owner by email that a key was made for them (`send_invite_email` on
 * `/key/generate`). Unlike LiteLLM the email never carries the secret: mail is stored and
 * forwarded in clear, and the secret is shown once, to whoever created the key. Sending
 * happens after the answer, with retries; a failure is logged.
 */
@Injectable()
export class KeyNotices implements OnApplicationShutdown {
  private readonly logger = new Logger('KeyNotices');
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly mail: MailService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Starts the email to the key's owner, and says whether one is on its way. */
  async notify(key: KeyEntity): Promise<KeyNoticeStatus> {
    if (!this.mail.enabled) {
      return 'disabled';
    }

    // The owner's address; users are another module's, but one column is all this needs.
    const rows: { user_email: string | null }[] = key.userId
      ? await this.dataSource.query('SELECT user_email FROM users WHERE user_id = $1', [key.userId])
      : [];
    const to = rows[0]?.user_email;
    if (!to) {
      return 'no_email';
    }

    const work = this.deliver(keyMessage(key, to, this.config.baseUrl), key.id).finally(() =>
      this.pending.delete(work),
    );
    this.pending.add(work);

    return 'pending';
  }

  /** Lets emails under way finish (or fail) before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(message: Message, keyId: string): Promise<void> {
    const failure = await sendWithRetries(this.mail, message, (attempt, reason) =>
      this.logger.warn({ keyId, attempt, err: reason }, 'key email failed'),
    );
    if (failure !== null) {
      this.logger.error({ keyId }, 'key email given up after retries');
    }
  }
}

/** The notice: which key, what it may do, where to see it; never the secret. */
export function keyMessage(key: KeyEntity, to: string, baseUrl: string): Message {
  const name = key.alias ? `${key.alias} (${key.keyName})` : key.keyName;
  const expires = key.expires ? `It expires on ${key.expires.toUTCString()}.` : 'It never expires.';
  const models = key.models.length > 0 ? key.models.join(', ') : 'every model you may use';
  const console = `${baseUrl}/ui/keys`;
  const lines = [
    `A Gatehouse API key was created for you: ${name}.`,
    `It may call ${models}. ${expires}`,
    'Its secret was shown once, to whoever created it: ask them for it, or get a new',
    `secret by regenerating the key in the console, ${console}`,
  ];

  const html = `<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5">
<p>${lines.map(escapeHtml).join(' ')}</p>
</body></html>`;

  return { to, subject: 'A Gatehouse API key for you', text: lines.join('\n'), html };
}
