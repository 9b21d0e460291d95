import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../lib/bundling/lambda-credential-provider.ts';

describe('the credential provider bundled into Lambda functions', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('answers with the credentials Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-example');
    vi.stubEnv('AWS_SESSION_TOKEN', 'session-example');

    const credentials = await defaultProvider()();

    expect(credentials).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret-example',
      sessionToken: 'session-example',
      $source: { CREDENTIALS_ENV_VARS: 'g' },
    });
  });

  it('fails with the SDK error when the environment has none, trying no other source', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');

    await expect(defaultProvider()()).rejects.toMatchObject({
      name: 'CredentialsProviderError',
      message: 'Unable to find environment variable credentials.',
    });
  });
});
