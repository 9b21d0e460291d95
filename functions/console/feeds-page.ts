import { AUTO_MAX_FEED_WORDS, FULL_TEXT_MODES, fullTextOf } from '#core/article/full-text.ts';
import type { FeedState } from '#core/model.ts';
import { DEFAULT_SCHEDULE, nextPoll } from '#core/pipeline/schedule.ts';
import type { ConsoleDeps } from './deps.ts';
import { type Html, html, page, when } from './html.ts';

export interface FeedsNotice {
  text: string;
  error?: boolean;
}

/** The feeds page: each feed's health, and the forms to add and remove feeds. */
export async function feedsPage(deps: ConsoleDeps, notice?: FeedsNotice, typed = ''): Promise<Html> {
  const feeds = (await deps.feeds.list()).sort((a, b) => a.url.localeCompare(b.url));
  const now = deps.clock.now();
  const rows = feeds.map(
    (feed) => html`<tr>
<td><div class="feed-title">${feed.title ?? feed.url}</div>${feed.title ? html`<div class="muted small url">${feed.url}</div>` : ''}</td>
<td>${health(feed)}</td>
<td>${when(feed.lastSuccessAt, now)}</td>
<td>${feed.lastError ? html`<span class="error-kind">${feed.lastErrorKind ?? 'error'}</span> ${feed.lastError}<div class="muted small">failing since ${when(feed.failingSince, now, 'unknown')} · ${String(feed.consecutiveFailures)} in a row</div>` : html`<span class="muted">none</span>`}</td>
<td>${nextPollCell(feed, now)}</td>
<td>${fullText(feed)}</td>
<td class="actions">${
      feed.fromConfig
        ? html`<span class="muted small" title="Remove it from the config file; the next run stops polling it">in config file</span>`
        : html`<form method="post" action="/feeds/remove" data-confirm="Stop polling ${feed.url}?"><input type="hidden" name="url" value="${feed.url}"><button class="danger small" type="submit">Remove</button></form>`
    }</td>
</tr>`,
  );
  const table =
    feeds.length === 0
      ? html`<div class="empty"><p>No feeds yet: add a news feed's address below.</p></div>`
      : html`<table class="list">
<thead><tr><th scope="col">Feed</th><th scope="col">Health</th><th scope="col">Last success</th><th scope="col">Last error</th><th scope="col">Next poll</th><th scope="col">Full text</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>
<p class="muted small">Full text: <strong>auto</strong> reads the article page of a new item whose feed text is short (under ${String(AUTO_MAX_FEED_WORDS)} words), <strong>always</strong> of every new item, <strong>never</strong> matches the feed text alone. Each page is read once.</p>
<p class="muted small">A healthy feed's row is saved when it changes and at least every 6 hours, so its times can be up to 6 hours behind.</p>`;
  return page(
    'Feeds',
    'feeds',
    html`<div class="heading"><h1>Feeds</h1></div>
${notice ? html`<p class="notice${notice.error ? ' error' : ''}" role="${notice.error ? 'alert' : 'status'}">${notice.text}</p>` : ''}${table}
<form method="post" action="/feeds" class="add-feed">
<div class="field"><label for="url">Feed address</label>
<input id="url" name="url" type="url" value="${typed}" placeholder="https://feeds.example.com/world.xml" required aria-describedby="url-help"></div>
<button type="submit">Add feed</button>
<p class="help" id="url-help">An RSS or Atom feed's http(s) address; it is polled from the next cycle.</p>
</form>`,
  );
}

/**
 * When the dispatcher next polls the feed: for a quiet feed, the cycle its quiet spell calls for,
 * which its stored due time does not say (see nextPoll).
 */
function nextPollCell(feed: FeedState, now: Date): Html | string {
  const { at } = nextPoll(feed, now, DEFAULT_SCHEDULE);
  return Date.parse(at) <= now.getTime() ? 'next cycle' : when(at, now);
}

/** The feed's full-text setting, a form to change it, and the pages it could not use. */
function fullText(feed: FeedState): Html {
  const mode = fullTextOf(feed);
  const unavailable = feed.pagesUnavailable
    ? html`<div class="muted small">${String(feed.pagesUnavailable)} ${feed.pagesUnavailable === 1 ? 'page' : 'pages'} unavailable${feed.lastPageError ? html` (last: ${feed.lastPageError})` : ''}</div>`
    : '';
  if (feed.fromConfig) return html`${mode}${unavailable}`;
  const options = FULL_TEXT_MODES.map(
    (option) => html`<option value="${option}"${option === mode ? ' selected' : ''}>${option}</option>`,
  );
  return html`<form method="post" action="/feeds/full-text" class="inline-form"><input type="hidden" name="url" value="${feed.url}"><label class="visually-hidden" for="full-text-${feed.url}">Full text for ${feed.url}</label><select id="full-text-${feed.url}" name="fullText">${options}</select> <button class="small" type="submit">Set</button></form>${unavailable}`;
}

function health(feed: FeedState): Html {
  if (feed.consecutiveFailures > 0) return html`<span class="state state-failing">failing</span>`;
  if (feed.lastSuccessAt) return html`<span class="state state-sent">ok</span>`;
  return html`<span class="state state-pending">not polled yet</span>`;
}
