import {
  DAILY_DIGEST_HOUR,
  digestCadenceOf,
  maxAlertsPerHourOf,
  timeZoneOf,
} from '#core/alerts/delivery-policy.ts';
import type { FeedState, Watch } from '#core/model.ts';
import { RECENT_ITEM_DAYS } from '#core/recent/recent-item.ts';
import type { ConsoleDeps } from './deps.ts';
import { feedLabel, type Html, html, page } from './html.ts';
import type { FormErrors, FormField, WatchForm } from './watch-form.ts';

/** The watches page: every watch with its state, routing and last week's matches. */
export async function watchesPage(deps: ConsoleDeps, notice: string | undefined): Promise<Html> {
  const watches = (await deps.watches.list()).sort((a, b) => a.id.localeCompare(b.id));
  const since = new Date(deps.clock.now().getTime() - RECENT_ITEM_DAYS * 86_400_000).toISOString();
  const counts = await Promise.all(
    watches.map(
      async (watch) => (await deps.matches.listRecent({ watchId: watch.id, since, anyTies: true })).length,
    ),
  );
  const rows = watches.map(
    (watch, index) => html`<tr${watch.enabled === false ? html` class="disabled"` : ''}>
<td><a class="watch-name" href="/watches/${encodeURIComponent(watch.id)}/edit">${watch.name ?? watch.id}</a><div class="muted small">${watch.id}</div></td>
<td><code class="query">${watch.query}</code></td>
<td>${routing(watch)}</td>
<td class="number"><a href="/?watch=${encodeURIComponent(watch.id)}" title="matches in the last ${RECENT_ITEM_DAYS} days">${String(counts[index] ?? 0)}</a></td>
<td>${watch.enabled === false ? html`<span class="state state-muted">disabled</span>` : html`<span class="state state-sent">enabled</span>`}</td>
<td class="actions">
<a class="button secondary small" href="/watches/${encodeURIComponent(watch.id)}/edit">Edit</a>
<form method="post" action="/watches/${encodeURIComponent(watch.id)}/${watch.enabled === false ? 'enable' : 'disable'}"><button class="secondary small" type="submit">${watch.enabled === false ? 'Enable' : 'Disable'}</button></form>
<form method="post" action="/watches/${encodeURIComponent(watch.id)}/delete" data-confirm="Delete the watch ${watch.id}? Its stored matches are kept."><button class="danger small" type="submit">Delete</button></form>
</td>
</tr>`,
  );
  const table =
    watches.length === 0
      ? html`<div class="empty"><p>No watches yet. A watch is a query Feedwatch looks for in every new item, such as <code>"asset seizure"</code> or <code>ceasefire OR truce</code>.</p></div>`
      : html`<table class="list">
<thead><tr><th scope="col">Watch</th><th scope="col">Query</th><th scope="col">Routing</th><th scope="col" class="number">Last ${RECENT_ITEM_DAYS} days</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
  return page(
    'Watches',
    'watches',
    html`<div class="heading"><h1>Watches</h1><a class="button" href="/watches/new">New watch</a></div>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}${table}`,
  );
}

/** How a watch's alerts go out, in words. */
export function routing(watch: Watch): string {
  const cadence =
    digestCadenceOf(watch) === 'daily'
      ? `daily digest at ${String(DAILY_DIGEST_HOUR).padStart(2, '0')}:00 (${timeZoneOf(watch)})`
      : 'hourly digest';
  if (watch.delivery === 'muted') return 'muted: stored, never sent';
  if (watch.delivery === 'digest') return cadence;
  const parts = [`immediate, up to ${maxAlertsPerHourOf(watch)} an hour, then ${cadence}`];
  if (watch.quietHours)
    parts.push(`quiet ${watch.quietHours.start}–${watch.quietHours.end} (${watch.quietHours.timeZone})`);
  return parts.join('; ');
}

export interface WatchFormView {
  form: WatchForm;
  errors: FormErrors;
  /** The watch being edited; absent for a new one. */
  editing?: string;
  feeds: readonly FeedState[];
  lab: Html;
  /** The query is valid: the form may be saved. */
  valid: boolean;
}

/** The watch form, with the lab beside the query. */
export function watchFormPage(view: WatchFormView): Html {
  const { form, errors, editing } = view;
  const title = editing ? `Edit watch ${editing}` : 'New watch';
  const action = editing ? `/watches/${encodeURIComponent(editing)}` : '/watches';
  const titles = new Map(view.feeds.flatMap((feed) => (feed.title ? [[feed.url, feed.title] as const] : [])));
  const errorSummary =
    Object.keys(errors).length > 0
      ? html`<p class="notice error" role="alert">The watch was not saved: ${Object.values(errors).join(' ')}</p>`
      : '';
  return page(
    title,
    'watches',
    html`<div class="heading"><h1>${title}</h1></div>${errorSummary}
<form method="post" action="${action}" class="watch-form" novalidate>
<div class="form-grid">
<div class="fields">
${field('id', 'Id', errors, html`<input id="id" name="id" value="${form.id}" required autocomplete="off" spellcheck="false"${editing ? html` readonly` : ''}${describedBy('id', errors, 'id-help')}>`, editing ? 'The id of a watch cannot change.' : 'Short and stable, used in alerts and the CLI: asset-seizure.')}
${field('name', 'Name', errors, html`<input id="name" name="name" value="${form.name}" autocomplete="off"${describedBy('name', errors, 'name-help')}>`, 'Readable, shown in alerts (optional).')}
${field('query', 'Query', errors, html`<textarea id="query" name="query" rows="3" required spellcheck="false" data-lab-query${describedBy('query', errors, 'query-help')}${errors.query ? html` aria-invalid="true"` : ''}>${form.query}</textarea>`, html`Words match in any form (<em>seize</em> finds <em>seizing</em>). <code>AND</code> <code>OR</code> <code>NOT</code> in capitals, <code>"exact phrase"</code>, <code>a NEAR/5 b</code>, <code>sanction*</code>, <code>title:word</code>.`)}
${feedChoices(form, view.feeds, titles)}
<fieldset>
<legend>Delivery</legend>
${field(
  'delivery',
  'Send alerts',
  errors,
  html`<select id="delivery" name="delivery"${describedBy('delivery', errors)}>
${option('immediate', 'Immediately, one by one', form.delivery)}${option('digest', 'In a digest only', form.delivery)}${option('muted', 'Never (muted: stored only)', form.delivery)}
</select>`,
)}
${field(
  'digest',
  'Digest',
  errors,
  html`<select id="digest" name="digest"${describedBy('digest', errors)}>
${option('hourly', 'Hourly', form.digest)}${option('daily', `Daily at ${String(DAILY_DIGEST_HOUR).padStart(2, '0')}:00`, form.digest)}
</select>`,
)}
${field('maxAlertsPerHour', 'Max alerts per hour', errors, html`<input id="maxAlertsPerHour" name="maxAlertsPerHour" inputmode="numeric" value="${form.maxAlertsPerHour}" placeholder="10"${describedBy('maxAlertsPerHour', errors, 'maxAlertsPerHour-help')}>`, 'Beyond this, matches wait for the digest.')}
<div class="pair">
${field('quietStart', 'Quiet hours from', errors, html`<input id="quietStart" name="quietStart" type="time" value="${form.quietStart}"${describedBy('quietStart', errors)}>`)}
${field('quietEnd', 'Quiet hours until', errors, html`<input id="quietEnd" name="quietEnd" type="time" value="${form.quietEnd}"${describedBy('quietEnd', errors)}>`)}
</div>
${field('timeZone', 'Time zone', errors, html`<input id="timeZone" name="timeZone" value="${form.timeZone}" autocomplete="off" spellcheck="false"${describedBy('timeZone', errors, 'timeZone-help')}>`, 'Of quiet hours and the daily digest, e.g. Europe/London.')}
</fieldset>
<div class="check"><input type="checkbox" id="enabled" name="enabled" value="on"${form.enabled ? html` checked` : ''}><label for="enabled">Enabled</label></div>
<div class="buttons">
<button type="submit" data-save${view.valid ? '' : html` disabled`}>Save watch</button>
<noscript><button type="submit" class="secondary" formmethod="get" formaction="">Preview</button></noscript>
<a class="button secondary" href="/watches">Cancel</a>
</div>
</div>
<section class="lab" aria-labelledby="lab-title">
<h2 id="lab-title">Lab: what this query would have caught</h2>
<div id="lab" aria-live="polite">${view.lab}</div>
</section>
</div>
</form>`,
  );
}

function feedChoices(
  form: WatchForm,
  feeds: readonly FeedState[],
  titles: ReadonlyMap<string, string>,
): Html {
  if (feeds.length === 0) return html``;
  const chosen = new Set(form.feeds);
  // A feed the watch names that is not polled (any more) stays listed, so saving keeps it.
  const urls = [...new Set([...feeds.map((feed) => feed.url), ...form.feeds])].sort();
  return html`<fieldset class="feeds">
<legend>Feeds</legend>
<p class="help" id="feeds-help">Leave all unticked to watch every feed.</p>
${urls.map(
  (url, index) =>
    html`<div class="check"><input type="checkbox" id="feed-${index}" name="feeds" value="${url}"${chosen.has(url) ? html` checked` : ''}><label for="feed-${index}">${feedLabel(url, titles)} <span class="muted small url">${url}</span></label></div>`,
)}
</fieldset>`;
}

function field(
  name: FormField,
  label: string,
  errors: FormErrors,
  control: Html,
  help?: Html | string,
): Html {
  const error = errors[name];
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${name}">${label}</label>
${control}
${help ? html`<p class="help" id="${name}-help">${help}</p>` : ''}
${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : ''}
</div>`;
}

function describedBy(name: FormField, errors: FormErrors, help?: string): Html {
  const ids = [help, errors[name] ? `${name}-error` : undefined].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : html``;
}

function option(value: string, label: string, selected: string): Html {
  return html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
}

export function savedNotice(id: string, created: boolean): string {
  return `Watch "${id}" ${created ? 'added' : 'saved'}.`;
}
