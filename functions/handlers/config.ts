import { ConfigError } from '#core/errors.ts';
import { ENV, type EnvName } from './env.ts';

/** Reads a variable the stack must set; a missing one fails the cold start with a clear line, not a later TypeError. */
export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (!value)
    throw new ConfigError(
      `environment variable ${name} is not set; deploy with the Feedwatch stack, which sets it`,
    );
  return value;
}

export function positiveIntEnv(name: EnvName): number {
  const raw = requireEnv(name);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`environment variable ${name} must be a positive integer, got "${raw}"`);
  return value;
}

export const allowPrivateNetwork = () => process.env[ENV.allowPrivateNetwork] === 'true';
