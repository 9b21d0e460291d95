export { checkFeedUrl } from './feed-url.ts';
export { HttpFetcher } from './http-fetcher.ts';
export { HttpPageFetcher } from './page-fetcher.ts';
