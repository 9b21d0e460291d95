import { inflectedVerbBase } from './word-form.ts';

/**
 * Compound nouns of phrasal verbs that news also writes as the verb, inflected: "cracked
 * down" is a crackdown, "laid off" a layoff, "bailed out" a bailout, "bought back" a
 * buyback. The uninflected verb joins its particle like any compound ("crack down" as
 * crackdown); an inflected one joins through its base, which the text's own letters cannot.
 *
 * A list, not a rule: most verb-and-particle pairs that spell a word mean something else
 * when inflected, and would flood a watch for it: took over as coach (takeover), it turned
 * out (turnout), putting in place (Putin), heroes in (heroin), created in (creatine), held
 * out hope (holdout), the gamble paid off (payoff), started up again (startup), broke down in
 * tears (breakdown), pulled out a gun (pullout).
 */
const COMPOUNDS = [
  'bailout',
  'buildup',
  'buyback',
  'buyout',
  'clampdown',
  'clawback',
  'coverup',
  'crackdown',
  'cutback',
  'drawdown',
  'handover',
  'layoff',
  'lockdown',
  'meltdown',
  'payout',
  'phaseout',
  'pullback',
  'rollback',
  'rollout',
  'selloff',
  'shakeup',
  'shutdown',
  'slowdown',
  'spinoff',
  'walkout',
  'writedown',
  'writeoff',
];
const PARTICLES = ['down', 'out', 'off', 'over', 'back', 'up'];

/** Per verb base, its particles and the compounds they make: crack, down, crackdown. */
const COMPOUNDS_OF_BASE = new Map<string, Map<string, string>>();
for (const compound of COMPOUNDS) {
  const particle = PARTICLES.find((candidate) => compound.endsWith(candidate)) as string;
  const base = compound.slice(0, -particle.length);
  const compounds = COMPOUNDS_OF_BASE.get(base) ?? new Map<string, string>();
  compounds.set(particle, compound);
  COMPOUNDS_OF_BASE.set(base, compounds);
}

/**
 * The compounds an inflected verb makes with each particle after it (cracked: down,
 * crackdown), or undefined: for the uninflected verb, the words as written join already.
 */
export function phrasalCompoundsOf(folded: string): ReadonlyMap<string, string> | undefined {
  const base = inflectedVerbBase(folded);
  return base === undefined ? undefined : COMPOUNDS_OF_BASE.get(base);
}
