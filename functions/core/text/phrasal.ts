/**
 * Phrasal verbs and the compound nouns they make: "cracked down" is a crackdown, "bailed
 * out" a bailout, "laid off" a layoff, "took over" a takeover. The uninflected verb joins its
 * particle like any compound ("crack down" as crackdown); an inflected one joins through its
 * base (see inflectionBase), which the text's own letters cannot do.
 */

/** The particles of phrasal verbs whose compounds news writes as one word. Not `on` (went on is no goon). */
const PARTICLES = new Set(['up', 'down', 'out', 'off', 'over', 'back', 'away', 'in', 'through', 'around']);

/**
 * Compounds whose inflected phrasal verb is mostly something else in news, and would flood a
 * watch for the noun: it turned out (turnout), turned over to (turnover), made up of, worked
 * out, held up, fighting broke out (breakout), fell out with (fallout), picked up pace.
 */
const IDIOMS = new Set([
  'turnout',
  'turnover',
  'makeup',
  'workout',
  'holdup',
  'breakout',
  'fallout',
  'pickup',
]);

/** The compound an inflected verb's base and the next word make ("crack", "down": crackdown), or undefined. */
export function phrasalCompound(base: string, particle: string): string | undefined {
  if (!PARTICLES.has(particle)) return undefined;
  const compound = base + particle;
  return IDIOMS.has(compound) ? undefined : compound;
}

/** The particles, for a necessary condition on the next word (see ItemAnalyser.joinMaskOf). */
export const PHRASAL_PARTICLES: ReadonlySet<string> = PARTICLES;
