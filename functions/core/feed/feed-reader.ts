/**
 * What reading a feed body needs: rss-parser (with xml2js and sax) and, for the first fragment
 * that needs them, htmlparser2's tokenizer and entities' decoder. The deployed poller ships this
 * module as a file of its own beside its bundle (FEED_READER_CHUNK in lib/feedwatch-function.ts),
 * so a cold start whose feeds all answer 304, an unchanged body or a rebuilt one neither reads nor
 * parses it; the HTML readers are one more file (HTML_READERS_CHUNK), read only when imported.
 */
export { default as RssParser } from 'rss-parser';

export const loadHtmlReaders = () => import('#core/feed/html-readers.ts');
