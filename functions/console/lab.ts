import { QuerySyntaxError } from '#core/errors.ts';
import type { RecentItemStore } from '#core/ports.ts';
import { operatorWords, operatorWordsNote } from '#core/query/index.ts';
import { previewQuery } from '#core/recent/preview.ts';
import { RECENT_ITEM_DAYS, recentWindowStart } from '#core/recent/recent-item.ts';
import { counted, feedLabel, type Html, html, markedSnippet, when } from './html.ts';

/** Items a preview reads at most: a week of a few hundred busy feeds, previewed well within a second. */
export const PREVIEW_ITEM_LIMIT = 20_000;
/** Matching items listed; the counts cover all of them. */
export const PREVIEW_SHOWN = 50;

export interface LabRequest {
  query: string;
  feeds: readonly string[];
}

/**
 * The lab's answer for a query: its error with the position, or which recent items it
 * matches with the matched words marked, how many alerts that would have made, and the notes
 * the CLI gives. `data-valid` tells the page's script whether the form may be saved.
 */
export async function labFragment(
  request: LabRequest,
  store: RecentItemStore | undefined,
  titles: ReadonlyMap<string, string>,
  now: Date,
): Promise<Html> {
  const query = request.query;
  if (query.trim() === '')
    return html`<div class="lab-status" data-valid="false"><p class="muted">Type a query to see which items of the last ${RECENT_ITEM_DAYS} days it matches.</p></div>`;
  let preview: ReturnType<typeof previewQuery>;
  const items = store ? await store.listSince(recentWindowStart(now), PREVIEW_ITEM_LIMIT) : [];
  try {
    preview = previewQuery(
      { query, feeds: request.feeds.length > 0 ? [...request.feeds] : undefined },
      items,
    );
  } catch (error) {
    if (error instanceof QuerySyntaxError) return invalidQuery(query, error);
    throw error;
  }
  const note = operatorWordsNote(operatorWords(query));
  const notes = note ? html`<p class="lab-note" role="note"><strong>Note:</strong> ${note}.</p>` : '';
  if (!store)
    return html`<div class="lab-status" data-valid="true">${notes}<p class="muted">The query is valid. This store keeps no recent items to try it on.</p></div>`;
  if (items.length === 0)
    return html`<div class="lab-status" data-valid="true">${notes}<p class="muted">The query is valid. No items seen in the last ${RECENT_ITEM_DAYS} days yet: the preview fills as feeds are polled.</p></div>`;
  const seen = `${preview.tried.toLocaleString('en')}${items.length >= PREVIEW_ITEM_LIMIT ? ' newest' : ''} ${preview.tried === 1 ? 'item' : 'items'} seen in the last ${RECENT_ITEM_DAYS} days${request.feeds.length > 0 ? ' on the chosen feeds' : ''}`;
  const summary =
    preview.matches.length === 0
      ? html`<p class="lab-summary">Matches <strong>none</strong> of the ${seen}.</p>`
      : html`<p class="lab-summary">Matches <strong>${preview.matches.length.toLocaleString('en')} of the ${seen}</strong>, which would have made <strong>${counted(preview.alerts, 'alert', 'alerts')}</strong> (one per story).</p>`;
  const shown = preview.matches.slice(0, PREVIEW_SHOWN);
  const more =
    preview.matches.length > shown.length
      ? html`<p class="muted">…and ${counted(preview.matches.length - shown.length, 'more', 'more')}.</p>`
      : '';
  return html`<div class="lab-status" data-valid="true">${notes}${summary}
<ol class="lab-matches">${shown.map(
    ({ item, result }) => html`<li>
${item.link ? html`<a class="title" href="${item.link}" rel="noreferrer noopener">${item.title}</a>` : html`<span class="title">${item.title}</span>`}
<p class="meta">${feedLabel(item.feedUrl, titles)} · seen ${when(item.seenAt, now)}</p>
<blockquote class="snippet">${markedSnippet(result.snippet, result.highlight)}</blockquote>
</li>`,
  )}</ol>${more}</div>`;
}

/** The parser's message, and the query with a caret under the position it names. */
function invalidQuery(query: string, error: QuerySyntaxError): Html {
  const column = Math.max(0, Math.min(error.position - 1, query.length));
  return html`<div class="lab-status lab-error" data-valid="false" role="alert">
<p><strong>Invalid query at position ${error.position}:</strong> ${error.reason}. It cannot be saved until it is fixed.</p>
<pre class="caret" aria-hidden="true">${query.replace(/\s/g, ' ')}
${' '.repeat(column)}^</pre>
</div>`;
}
