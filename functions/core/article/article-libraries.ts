import type { Readability } from '@mozilla/readability';
import type { parseHTML } from 'linkedom';
import { type HtmlLibraries, loadHtmlLibraries } from '../feed/html-libraries.ts';

export interface ArticleLibraries extends HtmlLibraries {
  parseHTML: typeof parseHTML;
  Readability: typeof Readability;
}

let loading: Promise<ArticleLibraries> | undefined;

/**
 * Readability and linkedom are loaded with the first article page, not with the poller: most
 * polls fetch no page (a 304, an unchanged body, items with long text), and those must not pay
 * for evaluating them at cold start.
 */
export function loadArticleLibraries(): Promise<ArticleLibraries> {
  loading ??= Promise.all([import('@mozilla/readability'), import('linkedom'), loadHtmlLibraries()]).then(
    ([readability, linkedom, html]) => ({
      ...html,
      parseHTML: linkedom.parseHTML,
      Readability: readability.Readability,
    }),
  );
  return loading;
}
