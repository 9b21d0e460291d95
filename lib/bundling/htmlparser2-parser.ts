/**
 * htmlparser2's Parser and Tokenizer under the names its index exports them by, for the deployed
 * bundles (see FUNCTION_ESBUILD_ALIASES): Feedwatch reads feed HTML with the tokenizer and
 * linkedom reads article pages with the parser, and the package exports no path to either.
 */
export { Parser } from '../../node_modules/htmlparser2/dist/esm/Parser.js';
export { default as Tokenizer } from '../../node_modules/htmlparser2/dist/esm/Tokenizer.js';
