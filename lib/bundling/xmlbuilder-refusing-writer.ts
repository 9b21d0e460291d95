/**
 * Bundled in place of `xmlbuilder` (see FUNCTION_ESBUILD_ALIASES). rss-parser loads xml2js,
 * whose XML writer (`Builder`) requires xmlbuilder as it loads, but Feedwatch only reads XML:
 * nothing calls the writer, and xmlbuilder would be a tenth of the poller's bundle, parsed on every
 * cold start. If a future change ever writes XML through xml2js, this says so at once.
 */
/** The one xmlbuilder function xml2js's Builder calls. */
export function create(): never {
  throw new XmlWriterNotBundledError();
}

export class XmlWriterNotBundledError extends Error {
  constructor() {
    super(
      'xmlbuilder is not bundled in the Lambda functions (Feedwatch only reads XML): remove its alias in lib/feedwatch-function.ts to write XML',
    );
    this.name = 'XmlWriterNotBundledError';
  }
}
