import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One upstream deployment of a model, from `model_list` in the config file. */
export interface ModelDeployment {
  /** The name clients ask for. */
  modelName: string;
  /** The model the upstream knows, without LiteLLM's provider prefix (`openai/gpt-4o`). */
  upstreamModel: string;
  apiBase: string;
  apiKey: string | null;
  inputCostPerToken: number;
  outputCostPerToken: number;
  /** How long to wait for the upstream, in milliseconds. */
  timeoutMs: number;
}

const DEFAULT_API_BASE = 'https://api.openai.com/v1';
const DEFAULT_TIMEOUT_S = 600;

/**
 * Reads `model_list` from a LiteLLM-style `config.yaml`: `model_name`, `litellm_params`
 * (`model`, `api_base`, `api_key` with `os.environ/NAME`, `timeout`) and `model_info`
 * (`input_cost_per_token`, `output_cost_per_token`). Problems name the entry at fault.
 */
export function loadModelList(
  path: string,
  env: Record<string, string | undefined>,
): ModelDeployment[] {
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read config file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }

  const list = (document as { model_list?: unknown } | null)?.model_list;
  if (list === undefined) {
    return [];
  }
  if (!Array.isArray(list)) {
    throw new Error(`${path}: model_list must be a list`);
  }

  return list.map((entry, index) => toDeployment(entry, `${path}: model_list[${index}]`, env));
}

function toDeployment(
  entry: unknown,
  where: string,
  env: Record<string, string | undefined>,
): ModelDeployment {
  const item = entry as Record<string, unknown> | null;
  const modelName = item?.model_name;
  if (typeof modelName !== 'string' || modelName.trim() === '') {
    throw new Error(`${where}: model_name is required`);
  }

  const named = `${where} (${modelName})`;
  const params = (item?.litellm_params ?? {}) as Record<string, unknown>;
  const info = (item?.model_info ?? {}) as Record<string, unknown>;

  const model = params.model;
  if (typeof model !== 'string' || model.trim() === '') {
    throw new Error(`${named}: litellm_params.model is required`);
  }

  const apiBase = resolve(params.api_base, env, `${named}: litellm_params.api_base`);
  const base = apiBase ?? DEFAULT_API_BASE;
  if (!/^https?:\/\/[^\s]+$/.test(base)) {
    throw new Error(`${named}: litellm_params.api_base must be an http(s) URL`);
  }

  return {
    modelName,
    upstreamModel: model.includes('/') ? model.slice(model.indexOf('/') + 1) : model,
    apiBase: base.replace(/\/+$/, ''),
    apiKey: resolve(params.api_key, env, `${named}: litellm_params.api_key`),
    // LiteLLM takes the prices in model_info or, as custom pricing, in litellm_params.
    inputCostPerToken: price(
      info.input_cost_per_token ?? params.input_cost_per_token,
      `${named}: input_cost_per_token`,
    ),
    outputCostPerToken: price(
      info.output_cost_per_token ?? params.output_cost_per_token,
      `${named}: output_cost_per_token`,
    ),
    timeoutMs: seconds(params.timeout, `${named}: litellm_params.timeout`) * 1000,
  };
}

/** A literal value, or `os.environ/NAME` read from the environment (which must be set). */
function resolve(
  value: unknown,
  env: Record<string, string | undefined>,
  where: string,
): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'string') {
    throw new Error(`${where} must be a string`);
  }

  const match = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  if (!match) {
    return value;
  }

  const fromEnv = env[match[1]];
  if (fromEnv === undefined || fromEnv === '') {
    throw new Error(`${where} reads ${match[1]}, which is not set`);
  }

  return fromEnv;
}

function price(value: unknown, where: string): number {
  if (value === undefined || value === null) {
    return 0;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${where} must be a number of zero or more`);
  }

  return value;
}

function seconds(value: unknown, where: string): number {
  if (value === undefined || value === null) {
    return DEFAULT_TIMEOUT_S;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${where} must be a positive number of seconds`);
  }

  return value;
}
