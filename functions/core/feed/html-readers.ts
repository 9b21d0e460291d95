/**
 * What reading an unusual HTML fragment needs: htmlparser2's tokenizer (markup of any shape) and
 * entities' decoder (references beyond the common ones). The feed reader imports this module on
 * first use only (`loadHtmlReaders` in feed-reader.ts): entities builds its decoding tables when
 * evaluated, which costs a fresh process more than reading its first well-formed feed's markup,
 * and the deployed poller ships it as a file of its own (HTML_READERS_CHUNK in
 * lib/feedwatch-function.ts), which V8 does not read at all until then.
 */
export { decodeHTML } from 'entities/decode';
export { Tokenizer } from 'htmlparser2';
