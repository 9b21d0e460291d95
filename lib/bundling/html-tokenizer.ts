/**
 * htmlparser2's Tokenizer under the name its index exports it by, for the deployed bundles (see
 * FUNCTION_ESBUILD_ALIASES): Feedwatch reads HTML with the tokenizer alone, and the package
 * exports no path to it.
 */
export { default as Tokenizer } from '../../node_modules/htmlparser2/dist/esm/Tokenizer.js';
