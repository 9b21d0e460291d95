export { type AddressClass, classifyAddress } from './address-class.ts';
export { AddressPolicy, type AddressPolicyOptions } from './address-policy.ts';
export { checkFeedUrl, parseFeedUrl } from './feed-url.ts';
export { HttpFetcher, type HttpFetcherOptions } from './http-fetcher.ts';
export { HttpPageFetcher, PAGE_MAX_BYTES, PAGE_TIMEOUT_MS } from './page-fetcher.ts';
export { DEFAULT_USER_AGENT } from './user-agent.ts';
