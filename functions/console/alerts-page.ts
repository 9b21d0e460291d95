import { routeOf } from '#core/alerts/delivery-policy.ts';
import { explainHits } from '#core/alerts/format.ts';
import type { StoredMatch, Watch } from '#core/model.ts';
import type { ConsoleDeps } from './deps.ts';
import { counted, feedLabel, type Html, html, markedSnippet, page, when } from './html.ts';

/** Alerts listed at most: a page a person reads, not an export (`feedwatch matches --json` is). */
export const ALERTS_SHOWN = 100;

/** The alerts page: recent matches, newest first, optionally of one watch. */
export async function alertsPage(deps: ConsoleDeps, watchId: string | undefined): Promise<Html> {
  const [watches, feeds] = await Promise.all([deps.watches.list(), deps.feeds.list()]);
  const byId = new Map(watches.map((watch) => [watch.id, watch]));
  const shownWatch = watchId && byId.has(watchId) ? watchId : undefined;
  const matches = await deps.matches.listRecent({ watchId: shownWatch, limit: ALERTS_SHOWN });
  const titles = new Map(feeds.flatMap((feed) => (feed.title ? [[feed.url, feed.title] as const] : [])));
  const now = deps.clock.now();
  const filter = html`<form method="get" action="/" class="filter">
<label for="watch-filter">Watch</label>
<select id="watch-filter" name="watch" data-autosubmit>
<option value="">All watches</option>
${watches.map(
  (watch) =>
    html`<option value="${watch.id}"${watch.id === shownWatch ? html` selected` : ''}>${watchLabel(watch)}</option>`,
)}
</select>
<button type="submit" class="secondary" data-js-hidden>Show</button>
</form>`;
  const unknown =
    watchId && !shownWatch
      ? html`<p class="notice error" role="alert">There is no watch "${watchId}": showing every watch's alerts.</p>`
      : '';
  const list =
    matches.length === 0
      ? emptyState(watches.length, shownWatch)
      : html`<p class="summary">${counted(matches.length, 'alert', 'alerts')}${matches.length === ALERTS_SHOWN ? ' (the newest)' : ''}, newest first.</p>
<ol class="alerts">${matches.map((match) => alertItem(match, byId.get(match.watchId), titles, now))}</ol>`;
  return page('Alerts', 'alerts', html`<div class="heading"><h1>Alerts</h1>${filter}</div>${unknown}${list}`);
}

function alertItem(
  match: StoredMatch,
  watch: Watch | undefined,
  titles: ReadonlyMap<string, string>,
  now: Date,
): Html {
  const state = stateOf(match, watch);
  const title = match.link
    ? html`<a class="title" href="${match.link}" rel="noreferrer noopener">${match.title}</a>`
    : html`<span class="title">${match.title}</span>`;
  return html`<li class="alert">
<div class="alert-head">${title}<span class="state state-${state.kind}" title="${state.detail}">${state.label}</span></div>
<p class="meta"><a class="watch-link" href="/?watch=${encodeURIComponent(match.watchId)}">${watch ? watchLabel(watch) : (match.watchName ?? match.watchId)}</a>
 · ${feedLabel(match.feedUrl, titles)} · matched ${when(match.matchedAt, now)}${match.published ? html` · published ${when(match.published, now)}` : ''}</p>
<blockquote class="snippet">${markedSnippet(match.snippet, match.highlight)}</blockquote>
<p class="why"><span class="label">Why</span> ${explainHits(match).join('; ')}</p>
${match.alsoIn?.length ? html`<p class="also"><span class="label">Also in</span> ${match.alsoIn.map((merged, index) => html`${index > 0 ? ', ' : ''}${sourceLink(merged.feed, titles)}`)}</p>` : ''}
</li>`;
}

function sourceLink(source: string, titles: ReadonlyMap<string, string>): Html {
  return /^https?:\/\//i.test(source)
    ? html`<a href="${source}" rel="noreferrer noopener">${feedLabel(source, titles)}</a>`
    : html`${feedLabel(source, titles)}`;
}

interface StateView {
  kind: 'sent' | 'digest' | 'muted' | 'limited' | 'pending' | 'failed';
  label: string;
  detail: string;
}

/**
 * What happened to the alert. A match waiting for (or sent in) a digest does not record why;
 * the watch's settings at the time it matched tell: digest mode, quiet hours, or else the
 * hourly limit.
 */
function stateOf(match: StoredMatch, watch: Watch | undefined): StateView {
  switch (match.alertState) {
    case 'SENT':
      return { kind: 'sent', label: 'sent', detail: 'alerted' };
    case 'SUPPRESSED':
      return { kind: 'muted', label: 'muted', detail: 'the watch is muted: stored, never sent' };
    case 'PENDING':
    case 'SENDING':
      return { kind: 'pending', label: 'sending', detail: 'stored; alerted within the next cycle' };
    case 'FAILED':
      return {
        kind: 'failed',
        label: 'not delivered',
        detail: match.failure ?? 'refused for good by the alert service',
      };
    case 'DIGEST': {
      if (watch?.delivery === 'digest')
        return { kind: 'digest', label: 'held for digest', detail: 'the watch sends digests' };
      if (routeOf(watch, new Date(match.matchedAt)) === 'digest')
        return { kind: 'digest', label: 'held for digest', detail: 'matched during quiet hours' };
      return {
        kind: 'limited',
        label: 'rate-limited',
        detail: 'over the hourly limit: held for the next digest',
      };
    }
  }
}

function emptyState(watchCount: number, watchId: string | undefined): Html {
  if (watchCount === 0)
    return html`<div class="empty"><p>No watches yet, so no alerts.</p><p><a class="button" href="/watches/new">Write your first watch</a></p></div>`;
  return html`<div class="empty"><p>No alerts${watchId ? ' for this watch' : ''} yet.</p>
<p>Feedwatch polls your feeds every few minutes and lists each match here. Try a query on recent news in the <a href="/watches/new">watch lab</a>.</p></div>`;
}

export function watchLabel(watch: Pick<Watch, 'id' | 'name'>): string {
  return watch.name ? `${watch.name}` : watch.id;
}
