import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS, type Browser, openBrowser } from './helpers/browser.ts';
import { runCli } from './helpers/cli.ts';
import { startCli, waitFor } from './helpers/processes.ts';

/**
 * The console as a new user meets it: `feedwatch run` on the sample feed, the local store, and
 * a real browser (Debian's Chromium driven by playwright-core). Each page is saved as a
 * screenshot under test-artifacts/console.
 */

const SAMPLE_FEED = resolve('examples/feeds/world-news.xml');

let dir: string;
let run: ReturnType<typeof startCli>;
let url: string;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedwatch-console-'));
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(
    join(dir, 'feedwatch.config.json'),
    JSON.stringify({
      // As the shipped config has it: the sample's links are made up, so no page is fetched.
      feeds: [{ url: SAMPLE_FEED, fullText: 'never' }],
      watches: [
        { id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' },
        { id: 'ceasefire', name: 'Ceasefire', query: 'ceasefire OR truce' },
      ],
    }),
  );
  run = startCli(['run', '--port', '0'], dir);
  await waitFor(async () => /cycle 1: /.test(run.output.stderr), 90_000);
  url = /feedwatch: console at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output.stderr)?.[1] ?? '';
  browser = await openBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  run?.command.kill('SIGINT');
  await run?.exited;
});

describe('the console in a browser', () => {
  test('the alerts page shows an alert from the sample feed with its matched words marked', async () => {
    const { page } = browser;

    await page.goto(url);

    const alert = page.locator('.alert', {
      hasText: 'G7 finance chiefs agree to start seizing frozen Russian assets',
    });
    await expect.poll(() => alert.count()).toBe(1);
    expect(await alert.locator('mark').allTextContents()).toEqual(['seizing', 'frozen', 'assets']);
    expect(await alert.locator('.watch-link').textContent()).toBe('Asset seizure');
    expect(await alert.locator('.state').textContent()).toBe('sent');
    await page.screenshot({ path: join(ARTIFACTS, 'alerts.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });

  test('the lab previews, while the query is typed, an item no watch matched', async () => {
    const { page } = browser;
    await page.goto(`${url}watches/new`);

    await page.getByLabel('Query', { exact: true }).pressSequentially('heatwave');

    const summary = page.locator('#lab .lab-summary');
    await expect
      .poll(() => summary.textContent())
      .toBe(
        'Matches 1 of the 6 items seen in the last 7 days, which would have made 1 alert (one per story).',
      );
    const item = page.locator('#lab .lab-matches li');
    expect(await item.locator('.title').textContent()).toBe('Heatwave warning issued for southern Europe');
    expect(await item.locator('mark').allTextContents()).toEqual(['Heatwave']);
    expect(await page.getByRole('button', { name: 'Save watch' }).isEnabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'lab.png'), fullPage: true });
    // The view the README shows (docs/img/console.png is a copy): two topics, their words marked.
    await page.getByLabel('Name', { exact: true }).fill('Seizures and heat');
    await page.getByLabel('Query', { exact: true }).fill('seiz* OR heatwave');
    await expect.poll(() => item.count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'console.png') });
    expect(browser.errors).toEqual([]);
  });

  test('saving creates the watch, and the CLI then lists it', async () => {
    const { page } = browser;
    await page.goto(`${url}watches/new`);

    await page.getByLabel('Id', { exact: true }).fill('heatwave');
    await page.getByLabel('Name', { exact: true }).fill('Heatwave');
    await page.getByLabel('Query', { exact: true }).fill('heatwave OR "heat dome"');
    await page.getByRole('button', { name: 'Save watch' }).click();

    await page.waitForURL(/\/watches\?notice=/);
    expect(await page.getByRole('status').textContent()).toBe('Watch "heatwave" added.');
    expect(await page.locator('tbody tr', { hasText: 'heatwave' }).locator('.watch-name').textContent()).toBe(
      'Heatwave',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'watches.png'), fullPage: true });
    const listed = await runCli(['watch', 'list', '--json'], { cwd: dir });
    expect(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).id),
    ).toEqual(['asset-seizure', 'ceasefire', 'heatwave']);
    expect(browser.errors).toEqual([]);
  });

  test('an invalid query shows its position while typed, and is not saved', async () => {
    const { page } = browser;
    await page.goto(`${url}watches/new`);

    await page.getByLabel('Id', { exact: true }).fill('broken');
    await page.getByLabel('Query', { exact: true }).pressSequentially('asset AND (seizure');

    const error = page.locator('#lab .lab-error');
    await expect
      .poll(() => error.locator('p').textContent())
      .toBe(
        'Invalid query at position 19: expected a closing ")" to match "(" at position 11. It cannot be saved until it is fixed.',
      );
    expect(await error.locator('pre.caret').textContent()).toBe(`asset AND (seizure\n${' '.repeat(18)}^`);
    const save = page.getByRole('button', { name: 'Save watch' });
    expect(await save.isDisabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'invalid-query.png'), fullPage: true });
    await page.getByLabel('Query', { exact: true }).press('Enter');
    await save.click({ force: true });
    expect(new URL(page.url()).pathname).toBe('/watches/new');
    const listed = await runCli(['watch', 'list', '--json'], { cwd: dir });
    expect(listed.stdout).not.toContain('"broken"');
    expect(browser.errors).toEqual([]);
  });

  test("the feeds page shows each feed's health", async () => {
    const { page } = browser;

    await page.goto(`${url}feeds`);

    const row = page.locator('tbody tr', { hasText: 'Meridian Wire: World' });
    expect(await row.locator('.state').textContent()).toBe('ok');
    expect(await row.locator('td').nth(3).textContent()).toBe('none');
    expect(await row.locator('td').nth(5).textContent()).toBe('never');
    await page.screenshot({ path: join(ARTIFACTS, 'feeds.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });
});
