import { Injectable } from '@nestjs/common';

type Listener = (tokens: string[]) => void;

/**
 * Tells whoever caches keys (the gateway's key cache) that a key changed or is gone,
 * so that a blocked, deleted or regenerated key stops working at once.
 */
@Injectable()
export class KeyEvents {
  private readonly listeners: Listener[] = [];

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  changed(token: string, previousToken: string | null = null): void {
    const tokens = previousToken ? [token, previousToken] : [token];
    for (const listener of this.listeners) {
      listener(tokens);
    }
  }
}
