import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Bundled in place of `@aws-sdk/credential-provider-node` (see FUNCTION_ESBUILD_ALIASES): Lambda
 * hands a function its role's credentials in the environment, the first source the SDK's default
 * chain tries, so the chain's other sources (SSO, ini files, processes, web identity, the
 * instance metadata service) are never called there, yet they and the nested STS/SSO clients
 * they use were a third of every function's bundle and ~20 ms of each cold start. Exported under
 * the name the SDK clients import.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> =>
  fromEnv(init);
