import { SpendLog } from '@gatehouse/domain';
import { SpendLogEntity } from './spend-log.entity';

export function toSpendLog(row: SpendLogEntity): SpendLog {
  return {
    request_id: row.requestId,
    api_key: row.apiKey,
    user: row.userId,
    model: row.model,
    call_type: row.callType,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    total_tokens: row.totalTokens,
    spend: row.spend,
    startTime: row.startTime.toISOString(),
    endTime: row.endTime.toISOString(),
    status: row.status,
  };
}
