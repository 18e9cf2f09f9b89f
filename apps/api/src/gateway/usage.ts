import { ModelDeployment } from '../config/model-list';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** Tokens an answer did not report are assumed for output when estimating a request. */
const DEFAULT_OUTPUT_TOKENS = 256;

export function costOf(deployment: ModelDeployment, usage: Usage): number {
  return (
    usage.promptTokens * deployment.inputCostPerToken +
    usage.completionTokens * deployment.outputCostPerToken
  );
}

/**
 * What a request will cost at most, before it is sent: its prompt at about four
 * characters a token, and the output it allows (`max_tokens`, or a default).
 */
export function estimateCost(
  deployment: ModelDeployment,
  body: Record<string, unknown>,
  kind: 'chat' | 'embeddings',
): number {
  const prompt = JSON.stringify(kind === 'chat' ? body.messages : body.input) ?? '';
  const promptTokens = Math.ceil(prompt.length / 4);
  const allowed = Number(body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_OUTPUT_TOKENS);
  const outputTokens = kind === 'chat' && Number.isFinite(allowed) ? Math.max(0, allowed) : 0;

  return costOf(deployment, { promptTokens, completionTokens: outputTokens });
}

/** The `usage` object of an OpenAI answer, or of the last chunk of a stream. */
export function usageFrom(value: unknown): Usage | null {
  const usage = (value as { usage?: Record<string, unknown> } | null)?.usage;
  if (!usage || typeof usage !== 'object') {
    return null;
  }

  const prompt = Number(usage.prompt_tokens ?? 0);
  const completion = Number(usage.completion_tokens ?? 0);
  if (!Number.isFinite(prompt) || !Number.isFinite(completion)) {
    return null;
  }

  return {
    promptTokens: Math.max(0, Math.round(prompt)),
    completionTokens: Math.max(0, Math.round(completion)),
  };
}
