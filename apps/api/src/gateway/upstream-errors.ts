import { ErrorType } from '@gatehouse/domain';
import { UpstreamError } from '../common/api-error';
import { ModelDeployment } from '../config/model-list';

const TIMEOUTS = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** An upstream's error answer, in our error shape, with its status and message. */
export function fromUpstreamAnswer(
  deployment: ModelDeployment,
  status: number,
  text: string,
): UpstreamError {
  let message = `Upstream answered ${status}`;
  let type: ErrorType | undefined;
  try {
    const error = JSON.parse(text)?.error;
    if (typeof error?.message === 'string') {
      message = error.message;
    }
    if (typeof error?.type === 'string' && /^[a-z_]{1,64}$/.test(error.type)) {
      type = error.type as ErrorType;
    }
  } catch {
    // Not JSON: keep the plain status message.
  }

  return new UpstreamError(status, scrub(message, deployment), type);
}

/** A failure to reach the upstream or to hear back in time. */
export function fromUpstreamFailure(error: unknown, deployment: ModelDeployment): UpstreamError {
  const code = (error as { code?: string }).code ?? '';
  if (TIMEOUTS.has(code)) {
    return new UpstreamError(504, `Upstream for ${deployment.modelName} did not answer in time`);
  }

  return new UpstreamError(502, `Upstream for ${deployment.modelName} could not be reached`);
}

/** Upstreams sometimes quote the key they were sent; ours never leaves this process. */
function scrub(message: string, deployment: ModelDeployment): string {
  let clean = message.slice(0, 2_000);
  if (deployment.apiKey) {
    clean = clean.split(deployment.apiKey).join('[redacted]');
  }

  return clean.replace(/sk-[A-Za-z0-9_*.-]{6,}/g, 'sk-[redacted]');
}
