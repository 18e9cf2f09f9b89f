import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ModelDeployment } from '../config/model-list';
import { ApiError } from '../common/api-error';

/**
 * Finds the upstream for a model name. Several deployments of one name share the load
 * in turn.
 */
@Injectable()
export class ModelRouter {
  private readonly deployments = new Map<string, ModelDeployment[]>();
  private readonly turns = new Map<string, number>();

  constructor(config: AppConfig) {
    for (const deployment of config.models) {
      const list = this.deployments.get(deployment.modelName) ?? [];
      list.push(deployment);
      this.deployments.set(deployment.modelName, list);
    }
  }

  get modelNames(): string[] {
    return [...this.deployments.keys()];
  }

  /**
   * The next deployment of a model. An unknown name is refused with the names the caller
   * may use (`visible`), never the whole list, which would undo `/models`' filtering.
   */
  pick(modelName: unknown, visible: (name: string) => boolean): ModelDeployment {
    if (typeof modelName !== 'string' || modelName === '') {
      throw ApiError.badRequest('model is required', 'model');
    }

    const list = this.deployments.get(modelName);
    if (!list) {
      const available = this.modelNames.filter(visible).join(', ') || 'none';
      throw ApiError.badRequest(
        `Invalid model name ${JSON.stringify(modelName)}; available: ${available}`,
        'model',
      );
    }

    const turn = this.turns.get(modelName) ?? 0;
    this.turns.set(modelName, turn + 1);

    return list[turn % list.length];
  }
}
