import { parseHTML } from 'linkedom';
import { expect, test } from 'vitest';

// patches/linkedom+*.patch makes linkedom create a node's listener map on its first
// addEventListener instead of in every node's constructor; events must work as before.
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
