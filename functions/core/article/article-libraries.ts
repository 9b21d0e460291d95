import type { Parser } from 'htmlparser2';
import type { parseHTML } from 'linkedom';
import { type HtmlLibraries, loadHtmlLibraries } from '../feed/html-libraries.ts';
import type { TextReadability } from './article-reader.ts';

export interface ArticleLibraries extends HtmlLibraries {
  parseHTML: typeof parseHTML;
  Readability: typeof TextReadability;
  Parser: typeof Parser;
}

let loading: Promise<ArticleLibraries> | undefined;

/**
 * Readability and linkedom are loaded with the first article page, not with the poller: most
 * polls fetch no page (a 304, an unchanged body, items with long text), and those must not pay
 * for reading them at cold start. Imported by the package's subpath, which the deployed poller's
 * bundle maps to the file shipped beside it (ARTICLE_READER_CHUNK in lib/feedwatch-function.ts).
 */
export function loadArticleLibraries(): Promise<ArticleLibraries> {
  loading ??= Promise.all([import('#core/article/article-reader.ts'), loadHtmlLibraries()]).then(
    ([reader, html]) => ({
      ...html,
      parseHTML: reader.parseHTML,
      Readability: reader.TextReadability,
      Parser: reader.Parser,
    }),
  );
  return loading;
}
