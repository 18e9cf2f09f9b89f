import { ConfigError, loadConfig } from './app-config';

describe('loading the configuration', () => {
  it('has defaults that start a development instance', () => {
    const config = loadConfig({});

    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeNull();
    expect(config.baseUrl).toBe('http://localhost:4000');
    expect(config.masterKey).toMatch(/^sk-.{20,}$/);
    expect(config.masterKeyGenerated).toBe(true);
    expect(config.sessionIdleMs).toBe(30 * 60_000);
    expect(config.sessionAbsoluteMs).toBe(12 * 3_600_000);
  });

  it('reads LITELLM_MASTER_KEY when PROXY_MASTER_KEY is not set', () => {
    const config = loadConfig({ LITELLM_MASTER_KEY: 'sk-from-litellm-1234' });

    expect(config.masterKey).toBe('sk-from-litellm-1234');
    expect(config.masterKeyGenerated).toBe(false);
  });

  it('refuses a master key that does not start with sk-', () => {
    expect(() => loadConfig({ PROXY_MASTER_KEY: 'not-a-key-at-all' })).toThrow(/PROXY_MASTER_KEY/);
  });

  it('requires a master key in production and names the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /PROXY_MASTER_KEY is required when NODE_ENV=production/,
    );
  });

  it('reports every wrong variable at once', () => {
    try {
      loadConfig({ PORT: 'abc', PROXY_BASE_URL: 'ftp://x', SESSION_IDLE_TIMEOUT: 'soon' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/PROXY_BASE_URL/);
      expect(problems).toMatch(/SESSION_IDLE_TIMEOUT/);
    }
  });

  it('drops a trailing slash from the base URL', () => {
    expect(loadConfig({ PROXY_BASE_URL: 'https://keys.example.com/' }).baseUrl).toBe(
      'https://keys.example.com',
    );
  });

  it('redirects on PROXY_BASE_URL, or on localhost and the port when it is unset', () => {
    expect(loadConfig({}).redirectTo('/ui/')).toBe('http://localhost:4000/ui/');
    expect(loadConfig({ PORT: '4100' }).redirectTo('/ui/')).toBe('http://localhost:4100/ui/');
    expect(loadConfig({ PROXY_BASE_URL: 'https://keys.example.com' }).redirectTo('/ui/')).toBe(
      'https://keys.example.com/ui/',
    );
  });

  it('keeps everything in the process unless REDIS_URL is set, and checks it', () => {
    const single = loadConfig({});
    expect(single.redisUrl).toBeNull();
    expect(single.redisPrefix).toBe('gatehouse:');

    const shared = loadConfig({ REDIS_URL: 'redis://redis:6379/2', REDIS_PREFIX: 'team-a:' });
    expect(shared.redisUrl).toBe('redis://redis:6379/2');
    expect(shared.redisPrefix).toBe('team-a:');

    expect(() => loadConfig({ REDIS_URL: 'http://redis:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: 'redis:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_PREFIX: 'has spaces' })).toThrow(/REDIS_PREFIX/);
  });

  it('lets requests run 30 s after SIGTERM unless SHUTDOWN_TIMEOUT says otherwise', () => {
    expect(loadConfig({}).shutdownTimeoutMs).toBe(30_000);
    expect(loadConfig({ SHUTDOWN_TIMEOUT: '2m' }).shutdownTimeoutMs).toBe(120_000);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT: 'soon' })).toThrow(/SHUTDOWN_TIMEOUT/);
  });
});
