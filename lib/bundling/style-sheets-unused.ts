/**
 * Bundled in place of `cssomnom/parse` (see FUNCTION_ESBUILD_ALIASES). linkedom, the DOM that
 * article pages are read in, parses a `<style>` element's CSS only when its `sheet` is asked for;
 * the article reader removes style elements and never asks, yet the CSS parser was a fifth of
 * the poller's bundle. If a future change ever reads a style sheet, this says so at once.
 */
/** The one cssomnom function linkedom calls. */
export function parse(): never {
  throw new StyleSheetsUnusedError();
}

export class StyleSheetsUnusedError extends Error {
  constructor() {
    super(
      'cssomnom is not bundled in the Lambda functions (article pages are read without their CSS): remove its alias in lib/feedwatch-function.ts to read style sheets',
    );
    this.name = 'StyleSheetsUnusedError';
  }
}
