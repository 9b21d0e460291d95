import { ConfigError } from '#core/errors.ts';

/**
 * The CDK hands the app one merged context: our `-c` keys together with its own (feature flags
 * and settings from cdk.json, lookup results from cdk.context.json, the CLI's `aws:cdk:*`
 * switches), with nothing to say which is which. Its own keys are namespaced (`@aws-cdk/...`,
 * `aws:cdk:...`, `availability-zones:account=...`) except the few plain ones below, so everything
 * else has to be one of ours: a typo such as `-c alertEmial=...` must fail the synth, not deploy
 * a stack without the subscriber.
 */
const CDK_PLAIN_KEYS: ReadonlySet<string> = new Set([
  // Saved by `cdk acknowledge`.
  'acknowledged-issue-numbers',
  // Saved by `cdk cli-telemetry`; our cdk.json sets it too.
  'cli-telemetry',
  // Read by aws-cdk-lib's asset staging.
  'assets-ecr-repository-name',
]);

function isCdkKey(key: string): boolean {
  return key.startsWith('@') || key.includes(':') || CDK_PLAIN_KEYS.has(key);
}

/** Throws a one-line ConfigError naming every context key that is neither in `known` nor the CDK's. */
export function rejectUnknownContextKeys(given: Iterable<string>, known: readonly string[]): void {
  const knownSet = new Set(known);
  const unknown = [...given].filter((key) => !knownSet.has(key) && !isCdkKey(key));
  if (unknown.length === 0) return;
  const named = unknown.map((key) => {
    const suggestion = closestKey(key, known);
    return suggestion ? `"${key}" (did you mean ${suggestion}?)` : `"${key}"`;
  });
  const noun = unknown.length === 1 ? 'key' : 'keys';
  throw new ConfigError(`unknown context ${noun} ${named.join(', ')}; known keys: ${known.join(', ')}`);
}

/**
 * The known key the user most likely meant: a typo or abbreviation that leaves at least two thirds
 * of the name (`alertEmial`, `feedsPerMsg`), or a part of it (`email`, `watches`). Case and
 * separators are ignored, since `-c` keys are typed by hand (`alert-email`, `AlertSMS`).
 */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const typed = fold(key);
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const folded = fold(candidate);
    const distance = editDistance(typed, folded);
    const related =
      distance <= Math.max(2, folded.length / 3) ||
      (typed.length >= 3 && (folded.includes(typed) || typed.includes(folded)));
    if (related && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function fold(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Levenshtein distance: insertions, deletions and substitutions of one character each. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
