import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelList } from './model-list';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'model-list-')), 'config.yaml');
  writeFileSync(file, text);

  return file;
}

describe('the model list of the config file', () => {
  it('reads LiteLLM entries, prices and keys from the environment', () => {
    const file = configFile(`
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_base: http://127.0.0.1:9000/v1/
      api_key: os.environ/OPENAI_API_KEY
    model_info:
      input_cost_per_token: 0.0000025
      output_cost_per_token: 0.00001
`);

    const [model] = loadModelList(file, { OPENAI_API_KEY: 'sk-provider' });

    expect(model).toEqual({
      modelName: 'gpt-4o',
      upstreamModel: 'gpt-4o',
      apiBase: 'http://127.0.0.1:9000/v1',
      apiKey: 'sk-provider',
      inputCostPerToken: 0.0000025,
      outputCostPerToken: 0.00001,
      timeoutMs: 600_000,
    });
  });

  it('takes prices from litellm_params too, with model_info first', () => {
    const file = configFile(`
model_list:
  - model_name: custom
    litellm_params:
      model: openai/custom
      api_base: http://127.0.0.1:9000/v1
      input_cost_per_token: 0.5
      output_cost_per_token: 0.75
    model_info:
      output_cost_per_token: 1
`);

    const [model] = loadModelList(file, {});

    expect(model).toMatchObject({ inputCostPerToken: 0.5, outputCostPerToken: 1 });
  });

  it('names the entry when a field is missing or wrong', () => {
    const missingModel = configFile('model_list:\n  - model_name: a\n    litellm_params: {}\n');
    expect(() => loadModelList(missingModel, {})).toThrow(
      /model_list\[0\] \(a\): litellm_params.model is required/,
    );

    const badPrice = configFile(
      'model_list:\n  - model_name: b\n    litellm_params: {model: x}\n' +
        '    model_info: {input_cost_per_token: cheap}\n',
    );
    expect(() => loadModelList(badPrice, {})).toThrow(/\(b\): input_cost_per_token must be/);

    const noName = configFile('model_list:\n  - litellm_params: {model: x}\n');
    expect(() => loadModelList(noName, {})).toThrow(/model_list\[0\]: model_name is required/);
  });

  it('refuses an environment variable that is not set', () => {
    const file = configFile(
      'model_list:\n  - model_name: c\n    litellm_params:\n      model: x\n' +
        '      api_key: os.environ/MISSING_KEY\n',
    );

    expect(() => loadModelList(file, {})).toThrow(/reads MISSING_KEY, which is not set/);
  });

  it('reports a file that is not YAML', () => {
    expect(() => loadModelList(configFile('model_list: [oops'), {})).toThrow(/cannot read/);
  });
});
