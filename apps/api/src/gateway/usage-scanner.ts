import { Transform, TransformCallback } from 'node:stream';
import { Usage, usageFrom } from './usage';

/**
 * Passes a server-sent event stream through chunk by chunk, unchanged, while reading the
 * `usage` that the upstream puts in its last data event.
 */
export class UsageScanner extends Transform {
  usage: Usage | null = null;
  private tail = '';

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
    if (!line.startsWith('data:') || !line.includes('"usage"')) {
      return;
    }

    try {
      this.usage = usageFrom(JSON.parse(line.slice(5).trim())) ?? this.usage;
    } catch {
      // A partial or non-JSON line: the usage comes in a later one, if at all.
    }
  }
}
