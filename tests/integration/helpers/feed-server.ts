import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A small feed server on 127.0.0.1 for integration tests, HTTP or HTTPS, with routes that
 * misbehave on purpose (hang, drip, reset, endless or lying bodies) besides the ordinary
 * ones (status, headers, body, conditional GET, redirects).
 *
 * @example
 *   const server = await startFeedServer({ routes: { '/feed.xml': { body: rss, etag: '"v1"' } } });
 *   await fetcher.fetch({ url: server.url('/feed.xml') });
 *   expect(server.requests[0]?.headers['user-agent']).toMatch(/^Feedwatch\//);
 *   await server.close();
 *
 * Unknown paths answer 404. Routes may be added or replaced while the server runs.
 */
export interface FeedRoute {
  /** @default 200 */
  status?: number;
  headers?: OutgoingHttpHeaders;
  /** Sent whole after the headers, unless `drip` or `endless` says otherwise. @default '' */
  body?: string | Uint8Array;
  /** Waits this long before answering at all. */
  delayMs?: number;
  /** Accepts the request and never answers: no status line, no headers. */
  hang?: boolean;
  /** Resets the TCP connection: before any byte of the answer, or after the headers and half the body. */
  reset?: 'before-headers' | 'mid-body';
  /** Sends the headers, then one byte of the body every `intervalMs` (repeating `x` forever when there is no body). */
  drip?: { intervalMs: number };
  /** Sends the headers and `body`, then keeps writing 64 KB chunks until the client goes away. */
  endless?: boolean;
  /** Sent as ETag; a request whose If-None-Match equals it gets 304 with the same headers. */
  etag?: string;
  /** Sent as Last-Modified; a request whose If-Modified-Since equals it gets 304. */
  lastModified?: string;
  /** Full control, for anything the options above cannot express. */
  handler?: (request: IncomingMessage, response: ServerResponse) => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface FeedServer {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** The absolute URL of a path on this server. */
  url(path?: string): string;
  /** Adds or replaces the route for an exact path (query string included). */
  route(path: string, route: FeedRoute): void;
  /** Destroys every open connection, hanging ones included, then stops listening. */
  close(): Promise<void>;
}

export interface FeedServerOptions {
  routes?: Record<string, FeedRoute>;
  /** Serve HTTPS with this key and certificate (TEST_TLS serves 127.0.0.1 and localhost). */
  tls?: { key: string; cert: string };
}

/** A 302 (or other status) pointing at `location`. */
export function redirect(location: string, status = 302): FeedRoute {
  return { status, headers: { location } };
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, valid until 2126, made once with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 36500
 * -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost`. Test-only: the
 * key is public. Clients trust it by passing `TEST_TLS.cert` as a CA.
 */
export const TEST_TLS = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgBU5bfUhe+771M43Y
FlbIA7yFW2UmNzYmxNQ5JZ5ZrUihRANCAASQKgyiXBcJmqI1H9BmR1j6JzGOb0Ez
VKu9tI9WAOT33cM1/ZlJ+fe2fWS/bpJahcbHXETr+5xdm378/tQ/TnFp
-----END PRIVATE KEY-----`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBlzCCAT6gAwIBAgIUOhNXM8SMUOwH/dCyUn6Fxv6knAUwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyODA1MjAyOVoYDzIxMjYxMTA0
MDUyMDI5WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASQKgyiXBcJmqI1H9BmR1j6JzGOb0EzVKu9tI9WAOT33cM1/ZlJ+fe2
fWS/bpJahcbHXETr+5xdm378/tQ/TnFpo2wwajAdBgNVHQ4EFgQU4RLYEM9jWkKF
FOQpCYAgK0Q9czgwHwYDVR0jBBgwFoAU4RLYEM9jWkKFFOQpCYAgK0Q9czgwGgYD
VR0RBBMwEYcEfwAAAYIJbG9jYWxob3N0MAwGA1UdEwEB/wQCMAAwCgYIKoZIzj0E
AwIDRwAwRAIgXgu9xmNtAbUyas1vuy/6ZlYuq/YOev7WREbpTFCVONACIDceKOBM
hLB2gF2LBBs7pJCZn1+7qt/gF1ILGQn7XD4T
-----END CERTIFICATE-----`,
} as const;

const CHUNK = Buffer.alloc(64 * 1024, 'x');

export async function startFeedServer(options: FeedServerOptions = {}): Promise<FeedServer> {
  const routes = new Map(Object.entries(options.routes ?? {}));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers });
    const route = routes.get(path);
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.delayMs) later(route.delayMs, () => answer(request, response, route));
    else answer(request, response, route);
  };

  const answer = (request: IncomingMessage, response: ServerResponse, route: FeedRoute): void => {
    if (route.handler) {
      route.handler(request, response);
      return;
    }
    if (route.hang) return;
    if (route.reset === 'before-headers') {
      request.socket.resetAndDestroy();
      return;
    }
    const headers: OutgoingHttpHeaders = { ...route.headers };
    if (route.etag) headers.etag = route.etag;
    if (route.lastModified) headers['last-modified'] = route.lastModified;
    const notModified =
      (route.etag !== undefined && request.headers['if-none-match'] === route.etag) ||
      (route.lastModified !== undefined && request.headers['if-modified-since'] === route.lastModified);
    if (notModified) {
      response.writeHead(304, headers).end();
      return;
    }
    const body = Buffer.from(route.body ?? '');
    response.writeHead(route.status ?? 200, headers);
    if (route.reset === 'mid-body') {
      response.write(body.subarray(0, Math.floor(body.length / 2)));
      later(20, () => request.socket.resetAndDestroy());
      return;
    }
    if (route.drip) drip(response, body, route.drip.intervalMs);
    else if (route.endless) endless(response, body);
    else response.end(body);
  };

  const drip = (response: ServerResponse, body: Buffer, intervalMs: number, sent = 0): void => {
    if (response.destroyed) return;
    if (body.length > 0 && sent >= body.length) {
      response.end();
      return;
    }
    response.write(body.length > 0 ? body.subarray(sent, sent + 1) : 'x');
    later(intervalMs, () => drip(response, body, intervalMs, sent + 1));
  };

  const endless = (response: ServerResponse, first: Buffer): void => {
    const pump = (): void => {
      while (!response.destroyed && response.write(CHUNK)) {
        // keep writing until the socket pushes back
      }
      if (!response.destroyed) response.once('drain', pump);
    };
    response.write(first);
    pump();
  };

  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client resetting a dripping or endless answer is expected here, not a test failure.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    origin,
    port,
    requests,
    url: (path = '/') => `${origin}${path}`,
    route: (path, route) => {
      routes.set(path, route);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
