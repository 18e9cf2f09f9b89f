import { Global, Module } from '@nestjs/common';
import { MailService } from './mail.service';

/** Outgoing email over SMTP (invitation and password-reset links). */
@Global()
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
