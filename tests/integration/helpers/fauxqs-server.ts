import { buildApp } from 'fauxqs';

export interface FauxqsServer {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * fauxqs (SNS/SQS emulator) on a free port. Built from `buildApp` rather than `startFauxqs`
 * because the latter always listens on 0.0.0.0 and tests stay on 127.0.0.1.
 */
export async function startFauxqsServer(): Promise<FauxqsServer> {
  const app = buildApp({ logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { endpoint: address, stop: () => app.close() };
}
