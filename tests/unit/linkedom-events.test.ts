import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { expect, test } from 'vitest';

// patches/linkedom+*.patch makes linkedom create a node's listener map on its first
// addEventListener instead of in every node's constructor (the largest cost of building a page).
test('the installed linkedom makes listener maps on first use (patch-package applied it)', () => {
  for (const build of ['esm', 'cjs']) {
    const source = readFileSync(
      join(process.cwd(), 'node_modules', 'linkedom', build, 'interface', 'event-target.js'),
      'utf8',
    );
    expect(source).not.toContain('wm.set(this, new Map);');
    expect(source).toContain('wm.set(this, map = new Map);');
  }
});

test('linkedom nodes still add, dispatch, bubble and remove event listeners', () => {
  const { document, Event } = parseHTML(
    '<html><body><div id="outer"><p id="inner">Text</p></div></body></html>',
  );
  const outer = document.getElementById('outer');
  const inner = document.getElementById('inner');
  const heard: string[] = [];
  const onOuter = (event: Event) => heard.push(`outer:${(event.target as unknown as { id: string }).id}`);
  const once = () => heard.push('inner once');

  expect(inner.dispatchEvent(new Event('ping', { bubbles: true }))).toBe(true);
  outer.addEventListener('ping', onOuter);
  inner.addEventListener('ping', once, { once: true });
  inner.dispatchEvent(new Event('ping', { bubbles: true }));
  inner.dispatchEvent(new Event('ping', { bubbles: false }));
  outer.removeEventListener('ping', onOuter);
  inner.removeEventListener('ping', once);
  document.body.removeEventListener('ping', onOuter);
  inner.dispatchEvent(new Event('ping', { bubbles: true }));

  expect(heard).toEqual(['inner once', 'outer:inner']);
});
