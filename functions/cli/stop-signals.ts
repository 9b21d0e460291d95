import { EXIT, StoppedError } from './errors.ts';

/** Ctrl-C, a supervisor's stop, a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface StopListener {
  /** Aborted by the first stop signal. */
  readonly signal: AbortSignal;
  /** Stops listening: a signal kills the process again. */
  release(): void;
}

/**
 * Listens for the stop signals, for a command that may start DynamoDB Local. A signal nobody
 * handles kills the process without its exit hooks, leaving the server running and the state
 * directory claimed; so listen from before the server starts, and release only once it is down.
 */
export function listenForStop(): StopListener {
  const stop = new AbortController();
  const onSignal = () => {
    // A second signal does not wait for the stop; exiting still kills DynamoDB Local (its exit hook).
    if (stop.signal.aborted) process.exit(EXIT.interrupted);
    stop.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    signal: stop.signal,
    release: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    },
  };
}

/**
 * `work`'s outcome, or a StoppedError as soon as `signal` aborts: the caller need not wait for
 * a store call to finish before it stops. The work is left behind, not ended.
 */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new StoppedError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    // Settling after a stop changes nothing, and a late rejection is not left unhandled.
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
