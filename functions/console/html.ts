import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * Every page is built with hono's `html` template: each interpolated string is escaped, so a
 * feed's title such as `<img src=x onerror=alert(1)>` is shown as text. Only markup built
 * here with `html` (or the fixed strings passed to `raw`) is trusted.
 */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export { html, raw };

export type Section = 'alerts' | 'watches' | 'feeds';

const SECTIONS: { section: Section; href: string; label: string }[] = [
  { section: 'alerts', href: '/', label: 'Alerts' },
  { section: 'watches', href: '/watches', label: 'Watches' },
  { section: 'feeds', href: '/feeds', label: 'Feeds' },
];

export function page(title: string, active: Section | undefined, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Feedwatch</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/console.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/"><span class="logo" aria-hidden="true"></span>Feedwatch</a>
<nav aria-label="Sections">${SECTIONS.map(
    (item) =>
      html`<a href="${item.href}"${item.section === active ? raw(' aria-current="page"') : ''}>${item.label}</a>`,
  )}</nav>
</header>
<main>${body}</main>
</body>
</html>`;
}

/** A time as people read it ("5 min ago", "in 2 h"), the exact instant in its tooltip. */
export function when(iso: string | undefined, now: Date, never = 'never'): Html {
  if (iso === undefined) return html`<span class="muted">${never}</span>`;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return html`${iso}`;
  return html`<time datetime="${iso}" title="${iso}">${relative(at - now.getTime())}</time>`;
}

function relative(deltaMs: number): string {
  const minutes = Math.round(Math.abs(deltaMs) / 60_000);
  if (minutes < 1) return deltaMs > 0 ? 'in under a minute' : 'just now';
  const amount =
    minutes < 60
      ? `${minutes} min`
      : minutes < 48 * 60
        ? `${Math.round(minutes / 60)} h`
        : `${Math.round(minutes / 1440)} days`;
  return deltaMs > 0 ? `in ${amount}` : `${amount} ago`;
}

/**
 * The snippet with the matched words in <mark>. The matcher marks them `**word**` in
 * `highlight` (for email and SMS); walking it against the plain `snippet` tells a marker from
 * asterisks the text itself holds. Anything that does not line up is shown unmarked.
 */
export function markedSnippet(snippet: string, highlight: string): Html {
  const parts: { text: string; marked: boolean }[] = [];
  let marked = false;
  let text = '';
  let s = 0;
  for (let h = 0; h < highlight.length; ) {
    if (highlight.startsWith('**', h) && !snippet.startsWith('**', s)) {
      if (text) parts.push({ text, marked });
      text = '';
      marked = !marked;
      h += 2;
    } else if (highlight[h] === snippet[s]) {
      text += highlight[h];
      h++;
      s++;
    } else {
      return html`${snippet}`;
    }
  }
  if (text) parts.push({ text, marked });
  if (s !== snippet.length || marked) return html`${snippet}`;
  return html`${parts.map((part) => (part.marked ? html`<mark>${part.text}</mark>` : html`${part.text}`))}`;
}

/** "1 alert", "3 alerts". */
export function counted(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/** A feed as a reader recognises it: its title when it has one, else its host or file name. */
export function feedLabel(url: string, titles: ReadonlyMap<string, string>): string {
  const title = titles.get(url);
  if (title) return title;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return decodeURIComponent(parsed.pathname.split('/').pop() ?? url);
    return parsed.host || url;
  } catch {
    return url;
  }
}
