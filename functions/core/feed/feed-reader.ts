/**
 * What reading a feed body needs: rss-parser (with xml2js and sax), htmlparser2's tokenizer and
 * entities' decoder. The deployed poller ships this module as a file of its own beside its bundle
 * (FEED_READER_CHUNK in lib/feedwatch-function.ts), so a cold start whose feeds all answer 304,
 * an unchanged body or a rebuilt one (nothing but items already read) neither reads nor parses it.
 */
export { decodeHTML } from 'entities/decode';
export { Tokenizer } from 'htmlparser2';
export { default as RssParser } from 'rss-parser';
