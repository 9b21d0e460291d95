import packageJson from '../../../package.json' with { type: 'json' };

/** Names us and where to read about us, so feed owners can tell who polls them and why. */
export const DEFAULT_USER_AGENT = `Feedwatch/${packageJson.version} (+https://github.com/feedwatch/feedwatch)`;
