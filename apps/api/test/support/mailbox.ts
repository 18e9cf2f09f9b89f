import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone. */
  text: string;
}

/** A real SMTP server on a local port that keeps every message it is given. */
export class Mailbox {
  readonly messages: ReceivedMail[] = [];
  private server!: SMTPServer;

  static async start(): Promise<Mailbox> {
    const mailbox = new Mailbox();
    mailbox.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          mailbox.messages.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            text: decodeQuotedPrintable(raw),
          });
          callback();
        });
      },
    });
    await new Promise<void>((done) => mailbox.server.listen(0, '127.0.0.1', done));

    return mailbox;
  }

  get port(): number {
    return (this.server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  }

  /** The environment that points Gatehouse at this server. */
  get env(): Record<string, string> {
    return {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(this.port),
      SMTP_SENDER_EMAIL: 'gatehouse@example.com',
      SMTP_TLS: 'false',
    };
  }

  /** Waits for the first message to `address`. */
  async messageTo(address: string, after = 0): Promise<ReceivedMail> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const found = this.messages.slice(after).find((message) => message.to.includes(address));
      if (found) {
        return found;
      }
      await new Promise((done) => setTimeout(done, 50));
    }

    throw new Error(`no email reached ${address}`);
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The onboarding link in an email, and the invitation id in it. */
export function linkIn(mail: ReceivedMail): { link: string; id: string } {
  const match = /(https?:\/\/[^\s"<]+\/ui\/onboarding\?id=([0-9a-f-]{36}))/.exec(mail.text);
  if (!match) {
    throw new Error('no onboarding link in the email');
  }

  return { link: match[1], id: match[2] };
}
