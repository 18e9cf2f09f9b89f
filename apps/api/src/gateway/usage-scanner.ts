import { Transform, TransformCallback } from 'node:stream';
import { CHARS_PER_TOKEN, Usage, usageFrom } from './usage';

/** The text a chunk adds: `"content": "..."` of a delta (escapes counted as written). */
const GENERATED_TEXT = /"content"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/**
 * Passes a server-sent event stream through chunk by chunk, unchanged, while reading the
 * `usage` that the upstream puts in its last data event.
 */
export class UsageScanner extends Transform {
  usage: Usage | null = null;
  /** Characters of generated text seen so far, for a stream that ends without its usage. */
  private streamedChars = 0;
  private tail = '';

  /** The tokens the stream has carried, roughly; the upstream's own count is in `usage`. */
  get streamedTokens(): number {
    return Math.ceil(this.streamedChars / CHARS_PER_TOKEN);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.push(chunk);

    const text = this.tail + chunk.toString('utf8');
    const lines = text.split('\n');
    this.tail = lines.pop() ?? '';
    for (const line of lines) {
      this.scanLine(line);
    }

    done();
  }

  override _flush(done: TransformCallback): void {
    this.scanLine(this.tail);
    done();
  }

  private scanLine(line: string): void {
    if (!line.startsWith('data:')) {
      return;
    }
    if (!line.includes('"usage"')) {
      for (const match of line.matchAll(GENERATED_TEXT)) {
        this.streamedChars += match[1].length;
      }

      return;
    }

    try {
      this.usage = usageFrom(JSON.parse(line.slice(5).trim())) ?? this.usage;
    } catch {
      // A partial or non-JSON line: the usage comes in a later one, if at all.
    }
  }
}
