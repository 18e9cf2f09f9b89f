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

/** Characters per token, roughly, for English text and JSON alike. */
export const CHARS_PER_TOKEN = 4;

/** Token counts are stored as 32-bit integers; an upstream's wilder figures are capped. */
const MAX_TOKENS = 2_147_483_647;

/**
 * The most a request is assumed to use, before it is sent: its prompt at about four
 * characters a token, and the output it allows (`max_tokens`, or a default).
 */
export function estimateUsage(body: Record<string, unknown>, kind: 'chat' | 'embeddings'): Usage {
  const prompt = JSON.stringify(kind === 'chat' ? body.messages : body.input) ?? '';
  const allowed = Number(body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_OUTPUT_TOKENS);
  const output = kind === 'chat' && Number.isFinite(allowed) ? Math.max(0, allowed) : 0;

  return {
    promptTokens: Math.ceil(prompt.length / CHARS_PER_TOKEN),
    completionTokens: Math.min(output, MAX_TOKENS),
  };
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
    promptTokens: Math.min(MAX_TOKENS, Math.max(0, Math.round(prompt))),
    completionTokens: Math.min(MAX_TOKENS, Math.max(0, Math.round(completion))),
  };
}
