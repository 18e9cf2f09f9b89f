import { ApiError } from '../common/api-error';
import { GatewayCaller } from './gateway-keys';

/** `[]`, `*` and LiteLLM's `all-proxy-models` allow every model. */
function allows(models: string[], model: string): boolean {
  return (
    models.length === 0 ||
    models.includes(model) ||
    models.includes('*') ||
    models.includes('all-proxy-models')
  );
}

/** Whether the caller's key, and the key's owner, may use a model. */
export function mayUse(caller: GatewayCaller, model: string): boolean {
  const credential = caller.credential;
  if (!credential) {
    return true;
  }

  return allows(credential.key.models, model) && allows(credential.owner?.models ?? [], model);
}

export function checkModelAccess(caller: GatewayCaller, model: string): void {
  if (!mayUse(caller, model)) {
    throw new ApiError(
      'key_model_access_denied',
      `This key is not allowed to use model ${JSON.stringify(model)}`,
      'model',
    );
  }
}
