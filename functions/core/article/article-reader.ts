/**
 * What reading an article page needs beyond the feed reader: Readability and linkedom (with the
 * htmlparser2 Parser, CSS selector engine and entity tables only they use). The deployed poller
 * ships this module as a file of its own beside its bundle (ARTICLE_READER_CHUNK in
 * lib/feedwatch-function.ts), so a cold start neither reads nor parses it until the first page.
 */
export { Readability } from '@mozilla/readability';
export { Parser } from 'htmlparser2';
export { parseHTML } from 'linkedom';
