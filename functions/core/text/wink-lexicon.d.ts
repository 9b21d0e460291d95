// The package ships plain CommonJS without types; these two files export plain objects.
declare module 'wink-lexicon/src/irregular-verbs.js' {
  /** Every form of each irregular verb (Wikipedia's list), the base included, to its base. */
  const bases: Record<string, string>;
  export default bases;
}
declare module 'wink-lexicon/src/irregular-nouns.js' {
  const nouns: { singular: Record<string, string>; plural: Record<string, string> };
  export default nouns;
}
