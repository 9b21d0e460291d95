/**
 * SNS rejects a Publish whose Subject has line breaks or control characters or is 100
 * characters or longer; an alert must never fail on its title, so the subject is made safe.
 * The formatter makes every subject this way, so the local run shows the subject exactly as
 * SNS gets it; the SNS notifier applies it again to whatever it is handed (a no-op on those).
 */
export const SUBJECT_MAX_CHARACTERS = 99;

const ELLIPSIS = '…';

/** Collapses whitespace, drops control characters, truncates with … ; undefined when nothing is left. */
export function snsSubject(subject: string): string | undefined {
  const oneLine = subject
    // Control characters other than whitespace are dropped; whitespace runs become one space.
    .replace(/(?![\t\n\v\f\r])\p{Cc}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  if (oneLine.length === 0) return undefined;
  if (oneLine.length <= SUBJECT_MAX_CHARACTERS) return oneLine;
  // Counted in UTF-16 units (the stricter count), cutting between code points so an emoji
  // is never split in half.
  let kept = '';
  for (const character of oneLine) {
    if (kept.length + character.length > SUBJECT_MAX_CHARACTERS - ELLIPSIS.length) break;
    kept += character;
  }
  return kept.trimEnd() + ELLIPSIS;
}
