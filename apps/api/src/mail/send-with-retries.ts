import { MailService, Message } from './mail.service';

/** Waits between attempts: a mail server that hiccups gets a few seconds to recover. */
const RETRY_DELAYS_MS = [500, 2_000, 5_000];

/**
 * Sends a message, trying again after each delay. Resolves with null once it is sent, or
 * with the last failure's reason (at most 500 characters) when every attempt failed;
 * `failed` hears of each failed attempt, for the log.
 */
export async function sendWithRetries(
  mail: MailService,
  message: Message,
  failed: (attempt: number, reason: string) => void,
): Promise<string | null> {
  let reason = '';

  for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
    try {
      await mail.send(message);

      return null;
    } catch (error) {
      reason = (error as Error).message.slice(0, 500);
      failed(attempt, reason);
      if (attempt < RETRY_DELAYS_MS.length) {
        await new Promise((done) => setTimeout(done, RETRY_DELAYS_MS[attempt]));
      }
    }
  }

  return reason;
}
