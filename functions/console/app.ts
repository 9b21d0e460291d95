import { type Context, Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { FULL_TEXT_MODES } from '#core/article/full-text.ts';
import { errorMessage, FetchError, QuerySyntaxError } from '#core/errors.ts';
import type { FeedState } from '#core/model.ts';
import { validateQuery } from '#core/query/index.ts';
import { alertsPage } from './alerts-page.ts';
import { ASSETS } from './assets.ts';
import type { ConsoleDeps } from './deps.ts';
import { type FeedsNotice, feedsPage } from './feeds-page.ts';
import { html, page } from './html.ts';
import { labFragment } from './lab.ts';
import {
  blankForm,
  type FormErrors,
  type FormInput,
  formFrom,
  formOf,
  type WatchForm,
  watchFromForm,
} from './watch-form.ts';
import { savedNotice, watchesPage, watchFormPage } from './watches-page.ts';

export interface ConsoleAddress {
  /** The `host:port` forms this console answers to (127.0.0.1 and localhost, on its port). */
  hosts(): readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The console: server-rendered pages over the store ports, with a little script for the lab.
 * Every request must name the console's own host (a rebound DNS name is refused), and every
 * state-changing one must come from its own pages (Origin checked): another site open in the
 * same browser can neither read it nor change anything.
 */
export function createConsoleApp(deps: ConsoleDeps, address: ConsoleAddress): Hono {
  const app = new Hono();
  const recent = deps.recentItems;

  app.use('*', async (c, next) => {
    const hosts = address.hosts();
    const host = c.req.header('host')?.toLowerCase();
    if (!host || !hosts.includes(host))
      return c.text(
        'Refused: this console answers only to its own address, such as http://127.0.0.1.\n',
        421,
      );
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin')?.toLowerCase();
      if (!origin || !hosts.some((allowed) => origin === `http://${allowed}`))
        return c.text("Refused: changes are accepted only from the console's own pages.\n", 403);
    }
    return next();
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      // Not no-referrer: under it a browser sends `Origin: null` with a form, which the origin check must refuse.
      referrerPolicy: 'same-origin',
    }),
  );

  // Browsers ask for /favicon.ico on pages that name no icon (a refusal, a text response).
  app.get('/favicon.ico', (c) => c.redirect('/assets/favicon.svg', 301));
  app.get('/assets/:name', (c) => {
    const asset = ASSETS.get(c.req.param('name'));
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'no-cache');
    return c.body(asset.body);
  });

  app.get('/', async (c) => c.html(await alertsPage(deps, c.req.query('watch') || undefined)));

  app.get('/watches', async (c) => c.html(await watchesPage(deps, c.req.query('notice'))));

  const titlesOf = (feeds: readonly FeedState[]) =>
    new Map(feeds.flatMap((feed) => (feed.title ? [[feed.url, feed.title] as const] : [])));

  /** The form page, its lab run on the form's query (the first view, a refused save, a preview without script). */
  const formPage = async (form: WatchForm, errors: FormErrors, editing?: string) => {
    const feeds = await deps.feeds.list();
    const lab = await labFragment(
      { query: form.query, feeds: form.feeds },
      recent,
      titlesOf(feeds),
      deps.clock.now(),
    );
    const valid = queryIsValid(form.query);
    return watchFormPage({ form, errors, editing, feeds, lab, valid });
  };

  app.get('/watches/new', async (c) =>
    c.html(await formPage(formFrom(queryInput(c.req.queries()), blankForm(deps.timeZone)), {})),
  );

  app.post('/watches', async (c) => {
    const form = formFrom((await c.req.parseBody({ all: true })) as FormInput, blankForm(deps.timeZone));
    const result = watchFromForm(form, undefined, deps.clock.now());
    if ('errors' in result) return c.html(await formPage(form, result.errors), 422);
    if (await deps.watches.get(result.watch.id))
      return c.html(
        await formPage(form, {
          id: `A watch "${result.watch.id}" exists already: choose another id, or edit that one.`,
        }),
        409,
      );
    await deps.watches.put(result.watch);
    return c.redirect(`/watches?notice=${encodeURIComponent(savedNotice(result.watch.id, true))}`, 303);
  });

  app.get('/watches/:id/edit', async (c) => {
    const watch = await deps.watches.get(c.req.param('id'));
    if (!watch) return noWatch(c.req.param('id'));
    const base = formOf(watch, deps.timeZone);
    return c.html(await formPage(formFrom(queryInput(c.req.queries()), base), {}, watch.id));
  });

  app.post('/watches/:id', async (c) => {
    const existing = await deps.watches.get(c.req.param('id'));
    if (!existing) return noWatch(c.req.param('id'));
    const input = (await c.req.parseBody({ all: true })) as FormInput;
    const form = { ...formFrom(input, formOf(existing, deps.timeZone)), id: existing.id };
    const result = watchFromForm(form, existing, deps.clock.now());
    if ('errors' in result) return c.html(await formPage(form, result.errors, existing.id), 422);
    await deps.watches.put(result.watch);
    return c.redirect(`/watches?notice=${encodeURIComponent(savedNotice(existing.id, false))}`, 303);
  });

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(`/watches/:id/${action}`, async (c) => {
      const watch = await deps.watches.get(c.req.param('id'));
      if (!watch) return noWatch(c.req.param('id'));
      await deps.watches.put({ ...watch, enabled, updatedAt: deps.clock.now().toISOString() });
      return c.redirect(`/watches?notice=${encodeURIComponent(`Watch "${watch.id}" ${action}d.`)}`, 303);
    });
  }

  app.post('/watches/:id/delete', async (c) => {
    const id = c.req.param('id');
    if (!(await deps.watches.delete(id))) return noWatch(id);
    return c.redirect(`/watches?notice=${encodeURIComponent(`Watch "${id}" deleted.`)}`, 303);
  });

  app.get('/lab', async (c) => {
    const feeds = await deps.feeds.list();
    return c.html(
      await labFragment(
        { query: c.req.query('query') ?? '', feeds: c.req.queries('feeds') ?? [] },
        recent,
        titlesOf(feeds),
        deps.clock.now(),
      ),
    );
  });

  app.get('/feeds', async (c) => c.html(await feedsPage(deps)));

  app.post('/feeds', async (c) => {
    const body = await c.req.parseBody();
    const typed = typeof body.url === 'string' ? body.url.trim() : '';
    const outcome = await addFeed(deps, typed);
    return c.html(await feedsPage(deps, outcome, outcome.error ? typed : ''), outcome.error ? 422 : 200);
  });

  /** The feed at `url` if the console may change it; otherwise the feeds page saying why not. */
  const editableFeed = async (c: Context, url: string, configAdvice: string) => {
    const feed = await deps.feeds.get(url);
    if (!feed) return c.html(await feedsPage(deps, { text: `There is no feed ${url}.`, error: true }), 404);
    if (feed.fromConfig) {
      const text = `${url} is listed in the config file: ${configAdvice}`;
      return c.html(await feedsPage(deps, { text, error: true }), 409);
    }
    return feed;
  };

  app.post('/feeds/full-text', async (c) => {
    const body = await c.req.parseBody();
    const url = typeof body.url === 'string' ? body.url : '';
    const mode = FULL_TEXT_MODES.find((option) => option === body.fullText);
    if (!mode)
      return c.html(
        await feedsPage(deps, { text: `Full text is one of ${FULL_TEXT_MODES.join(', ')}.`, error: true }),
        422,
      );
    const feed = await editableFeed(c, url, 'set its "fullText" there, and the next run applies it.');
    if (feed instanceof Response) return feed;
    await deps.feeds.put({ ...feed, fullText: mode });
    return c.html(await feedsPage(deps, { text: `Full text for ${url}: ${mode}.` }));
  });

  app.post('/feeds/remove', async (c) => {
    const body = await c.req.parseBody();
    const url = typeof body.url === 'string' ? body.url : '';
    const feed = await editableFeed(c, url, 'remove it there, and the next run stops polling it.');
    if (feed instanceof Response) return feed;
    await deps.feeds.delete(url);
    return c.html(await feedsPage(deps, { text: `Stopped polling ${url}.` }));
  });

  const noWatch = async (id: string) =>
    new Response(
      String(
        await page(
          'No such watch',
          'watches',
          html`<h1>No such watch</h1><p>There is no watch "${id}". <a href="/watches">See the watches</a>.</p>`,
        ),
      ),
      { status: 404, headers: { 'Content-Type': 'text/html; charset=UTF-8' } },
    );

  app.notFound(async (c) =>
    c.html(
      await page(
        'Not found',
        undefined,
        html`<h1>Not found</h1><p>Nothing here. <a href="/">Back to the alerts</a>.</p>`,
      ),
      404,
    ),
  );

  // One line for the user, the details for the terminal: never a stack trace in a page.
  app.onError(async (error, c) => {
    deps.reportError(error);
    return c.html(
      await page(
        'Something failed',
        undefined,
        html`<h1>Something failed</h1><p class="notice error" role="alert">${errorMessage(error)}</p><p>The terminal running feedwatch has the details. <a href="/">Back to the alerts</a>.</p>`,
      ),
      500,
    );
  });

  return app;
}

/** The form fields of a preview without script (the form sent with GET), if any. */
function queryInput(queries: Record<string, string[]>): FormInput {
  const input: FormInput = {};
  for (const [name, values] of Object.entries(queries)) input[name] = name === 'feeds' ? values : values[0];
  return input;
}

async function addFeed(deps: ConsoleDeps, typed: string): Promise<FeedsNotice> {
  if (!URL.canParse(typed))
    return { text: `"${typed}" is not a feed address: give its full http(s) URL.`, error: true };
  const url = new URL(typed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return {
      text: `Only http(s) feeds can be added here (feedwatch feed add takes local files).`,
      error: true,
    };
  let warning = '';
  try {
    await deps.checkFeedUrl(url.href);
  } catch (error) {
    // As `feed add` does: a host that does not resolve now is polled with back-off until it does.
    if (!(error instanceof FetchError && error.kind === 'dns'))
      return { text: `Cannot add ${typed}: ${errorMessage(error)}.`, error: true };
    warning = ` Its host does not resolve now: it is polled with back-off until it does.`;
  }
  if (await deps.feeds.get(url.href)) return { text: `${url.href} is already polled.` };
  const now = deps.clock.now().toISOString();
  await deps.feeds.put({ url: url.href, consecutiveFailures: 0, nextDueAt: now, createdAt: now });
  return { text: `Added ${url.href}: it is polled from the next cycle.${warning}` };
}

function queryIsValid(query: string): boolean {
  if (query.trim() === '') return false;
  try {
    validateQuery(query);
    return true;
  } catch (error) {
    if (error instanceof QuerySyntaxError) return false;
    throw error;
  }
}
