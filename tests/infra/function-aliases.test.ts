import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLING, FUNCTION_ESBUILD_ALIASES, PROJECT_ROOT } from '../../lib/feedwatch-function.ts';

/** The input files esbuild puts in a handler's bundle with the stack's resolution options. */
async function bundledInputs(handler: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`functions/handlers/${handler}.ts`],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    alias: { ...FUNCTION_ESBUILD_ALIASES },
    write: false,
    outfile: 'index.mjs',
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('bundling aliases', () => {
  it.each(['dispatcher', 'poller'])(
    '%s takes credentials from the environment only, without the default chain or its STS/SSO clients',
    async (handler) => {
      const inputs = await bundledInputs(handler);

      expect(inputs).toContain('lib/bundling/lambda-credential-provider.ts');
      expect(inputs).toContain('node_modules/@aws-sdk/credential-provider-env/dist-es/fromEnv.js');
      const credentialChain = inputs.filter((input) =>
        /@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http)|nested-clients)\//.test(
          input,
        ),
      );
      expect(credentialChain).toEqual([]);
    },
  );
});
