import { readFileSync } from 'node:fs';
import { KeysService } from '../keys/keys.service';
import { SpendLedger } from '../spend/spend-ledger.service';

interface ImportedRow {
  request_id: string;
  api_key: string;
  model: string;
  call_type?: string;
  prompt_tokens?: number;
  completion_tokens?: number;
  spend: number;
  startTime: string;
  endTime?: string;
  status?: 'success' | 'failure';
}

/**
 * Imports spend log rows (one JSON object per line, in the shape `/spend/logs` returns)
 * through the same ledger the gateway writes with, so totals move with the rows. For
 * bringing history over from another proxy. Returns how many rows were new.
 */
export async function importSpend(
  file: string,
  keys: KeysService,
  ledger: SpendLedger,
): Promise<{ imported: number; skipped: number }> {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  let imported = 0;

  for (const [index, line] of lines.entries()) {
    const row = JSON.parse(line) as ImportedRow;
    const found = await keys.findCredential(row.api_key);
    if (!found) {
      throw new Error(`line ${index + 1}: no key matches api_key`);
    }

    const startTime = new Date(row.startTime);
    const recorded = await ledger.record({
      requestId: row.request_id,
      keyId: found.key.id,
      keyToken: found.key.token,
      userId: found.key.userId,
      model: row.model,
      callType: row.call_type ?? 'chat_completion',
      promptTokens: row.prompt_tokens ?? 0,
      completionTokens: row.completion_tokens ?? 0,
      spend: row.spend,
      startTime,
      endTime: row.endTime ? new Date(row.endTime) : startTime,
      status: row.status ?? 'success',
    });
    imported += recorded ? 1 : 0;
  }

  return { imported, skipped: lines.length - imported };
}
