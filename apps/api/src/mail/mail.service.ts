import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';

export interface Message {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends email through the configured SMTP server. Without SMTP settings it is off, and
 * says so (`enabled`) rather than pretending to send.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter | null;

  constructor(private readonly config: AppConfig) {
    const smtp = config.smtp;
    this.transport = smtp
      ? createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.tls && smtp.port === 465,
          requireTLS: smtp.tls && smtp.port !== 465,
          ignoreTLS: !smtp.tls,
          auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? '' } : undefined,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        })
      : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(message: Message): Promise<void> {
    if (!this.transport || !this.config.smtp) {
      throw new Error('email is off: SMTP_HOST is not set');
    }

    await this.transport.sendMail({ from: this.config.smtp.sender, ...message });
    this.logger.log({ subject: message.subject }, 'email sent');
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
