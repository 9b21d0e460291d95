import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 that sits between an AWS SDK client and DynamoDB Local or
 * fauxqs and breaks chosen requests on the wire, so the SDK's own retry, backoff and
 * timeout code meets the fault exactly as it would meet it in AWS.
 *
 * Requests are told apart by their AWS action: the last part of `X-Amz-Target` for the
 * JSON protocols (DynamoDB `DynamoDB_20120810.PutItem`, SQS `AmazonSQS.SendMessage`), or
 * the `Action` form parameter for the query protocol (SNS `Action=Publish`).
 *
 * @example
 *   const proxy = await startFaultProxy(dynamoDbEndpoint());
 *   proxy.inject({ kind: 'throttle' }, { actions: ['PutItem'], times: 2 });
 *   // ... point a client at proxy.endpoint; its next two PutItem calls are throttled.
 *   expect(proxy.outcomes('PutItem')).toEqual(['throttle', 'throttle', 'forwarded']);
 */
export type Fault =
  /** HTTP 400 with a throttling error code the SDK classifies as THROTTLING. */
  | { kind: 'throttle'; code?: string }
  /** A server error the SDK classifies as TRANSIENT. */
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  /** Resets the connection before any byte of the answer; the service never sees the request. */
  | { kind: 'reset' }
  /** Accepts the request and never answers nor forwards it, until the client gives up. */
  | { kind: 'hang' }
  /** Forwards the request (so the service applies it), then resets instead of answering. */
  | { kind: 'lose-response' }
  /** Forwards the request and sends the service's status line and headers, then never the body. */
  | { kind: 'stall-body' }
  /** HTTP 400 with this error code and message: the service refusing the request itself. */
  | { kind: 'refuse'; code: string; message: string }
  /** Forwards the request after `ms`, as a slow service would answer it. */
  | { kind: 'delay'; ms: number };

export type FaultKind = Fault['kind'];

export interface FaultScope {
  /** AWS actions the fault applies to, e.g. `['PutItem', 'UpdateItem']`; `'*'` for all. */
  actions: readonly string[] | '*';
  /**
   * Only requests whose body contains this text, to pick one kind of call among many of the
   * same action, e.g. `'alertState = :next'` for the match store's state change among UpdateItems.
   */
  bodyIncludes?: string;
  /** Only the next `times` matching requests. Without `times` or `forMs` the fault lasts until removed. */
  times?: number;
  /** Only matching requests that arrive within this many milliseconds from now. */
  forMs?: number;
}

export interface InjectedFault {
  /** Ends the fault: matching requests are forwarded again. */
  remove(): void;
}

export interface ProxiedRequest {
  action: string;
  outcome: 'forwarded' | FaultKind;
  /** The client closed the connection before getting a whole answer (its timeout fired). */
  closedByClient: boolean;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` or an `AWS_ENDPOINT_URL_*` variable. */
  readonly endpoint: string;
  /** Every request received, oldest first. */
  readonly requests: readonly ProxiedRequest[];
  /** What happened to each request for `action` (whose body contains `bodyIncludes`, if given), oldest first. */
  outcomes(action: string, bodyIncludes?: string): Array<ProxiedRequest['outcome']>;
  inject(fault: Fault, scope: FaultScope): InjectedFault;
  /**
   * Resolves once no request is open any more: a client that gives up closes its side a
   * moment after its own call has failed, so wait for this before reading `closedByClient`.
   */
  idle(): Promise<void>;
  /** Removes every fault and forgets the requests seen so far. */
  reset(): void;
  /** Destroys every open connection, hung ones included, then stops listening. */
  close(): Promise<void>;
}

interface Rule {
  fault: Fault;
  scope: FaultScope;
  remaining: number;
  until: number;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  let rules: Rule[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const resetByProxy = new WeakSet<Socket>();
  let open = 0;
  const whenIdle: Array<() => void> = [];
  const resetConnection = (request: IncomingMessage) => {
    resetByProxy.add(request.socket);
    request.socket.resetAndDestroy();
  };

  const bodies: string[] = [];
  const takeFault = (action: string, body: string): Fault | undefined => {
    const now = Date.now();
    rules = rules.filter((rule) => rule.remaining > 0 && now < rule.until);
    const rule = rules.find(
      ({ scope }) =>
        (scope.actions === '*' || scope.actions.includes(action)) &&
        (scope.bodyIncludes === undefined || body.includes(scope.bodyIncludes)),
    );
    if (!rule) return undefined;
    rule.remaining--;
    return rule.fault;
  };

  const server = http.createServer(async (request, response) => {
    const body = await readBody(request);
    const action = actionOf(request, body);
    const text = body.toString('utf8');
    const fault = takeFault(action, text);
    const record: ProxiedRequest = { action, outcome: fault?.kind ?? 'forwarded', closedByClient: false };
    requests.push(record);
    bodies.push(text);
    open++;
    response.on('close', () => {
      if (!response.writableFinished && !resetByProxy.has(request.socket)) record.closedByClient = true;
      open--;
      if (open === 0) for (const resolve of whenIdle.splice(0)) resolve();
    });
    try {
      await answer(fault, request, body, response);
    } catch {
      // The upstream service is unreachable: to the client that is a dropped connection.
      resetConnection(request);
    }
  });

  const answer = async (
    fault: Fault | undefined,
    request: IncomingMessage,
    body: Buffer,
    response: ServerResponse,
  ): Promise<void> => {
    switch (fault?.kind) {
      case undefined:
        return forward(request, body, response);
      case 'throttle':
      case 'status':
      case 'refuse':
        return sendError(fault, request, response);
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return forward(request, body, response);
      case 'reset':
        resetConnection(request);
        return;
      case 'hang':
        return;
      case 'lose-response':
        await forward(request, body, undefined);
        resetConnection(request);
        return;
      case 'stall-body': {
        const answered = await send(request, body);
        response.writeHead(answered.status, answered.headers);
        response.flushHeaders();
        return;
      }
    }
  };

  const send = (request: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const outgoing = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
          agent,
        },
        async (answer) => {
          try {
            resolve({
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: await readBody(answer),
            });
          } catch (error) {
            reject(error);
          }
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const forward = async (request: IncomingMessage, body: Buffer, response: ServerResponse | undefined) => {
    const answered = await send(request, body);
    response?.writeHead(answered.status, answered.headers).end(answered.body);
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    outcomes: (action, bodyIncludes) =>
      requests
        .filter(
          (request, index) =>
            request.action === action &&
            (bodyIncludes === undefined || (bodies[index] ?? '').includes(bodyIncludes)),
        )
        .map((request) => request.outcome),
    inject(fault, scope) {
      const rule: Rule = {
        fault,
        scope,
        remaining: scope.times ?? Number.POSITIVE_INFINITY,
        until: scope.forMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + scope.forMs,
      };
      rules.push(rule);
      return {
        remove: () => {
          rules = rules.filter((candidate) => candidate !== rule);
        },
      };
    },
    idle: () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => whenIdle.push(resolve))),
    reset() {
      rules = [];
      requests.length = 0;
      bodies.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function actionOf(request: IncomingMessage, body: Buffer): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  return new URLSearchParams(body.toString('utf8')).get('Action') ?? 'unknown';
}

/**
 * The error answer the real service gives, in the request's protocol: the SDK reads the
 * code from `x-amzn-ErrorType` / `__type` (JSON) or `<Error><Code>` (query), and that code
 * or the status decides whether and how soon it retries.
 */
function sendError(
  fault: Extract<Fault, { kind: 'throttle' | 'status' | 'refuse' }>,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const target = request.headers['x-amz-target'];
  const isJson = typeof target === 'string';
  const status = fault.kind === 'status' ? fault.status : 400;
  const code =
    fault.kind === 'refuse'
      ? fault.code
      : fault.kind === 'throttle'
        ? (fault.code ?? (isJson ? 'ProvisionedThroughputExceededException' : 'Throttling'))
        : status === 500
          ? isJson
            ? 'InternalServerError'
            : 'InternalFailure'
          : isJson
            ? 'ServiceUnavailableException'
            : 'ServiceUnavailable';
  const message = fault.kind === 'refuse' ? fault.message : `injected by the fault proxy: ${code}`;
  if (isJson) {
    const namespace = target.startsWith('DynamoDB_') ? 'com.amazonaws.dynamodb.v20120810' : 'com.amazonaws';
    response
      .writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': `${code}:`,
        'x-amzn-requestid': 'fault-proxy',
      })
      .end(JSON.stringify({ __type: `${namespace}#${code}`, message }));
    return;
  }
  const type = status >= 500 ? 'Receiver' : 'Sender';
  response
    .writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'fault-proxy' })
    .end(
      `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
    );
}
