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
 * Listens for the stop signals, for a command that uses a store. A signal nobody handles kills the
 * process without its exit hooks, leaving `run`'s claim on the state directory behind and its
 * cycle cut short; so listen from the start, and release only once the stores are closed.
 */
export function listenForStop(): StopListener {
  const stop = new AbortController();
  const onSignal = () => {
    // A second signal does not wait for the stop; exiting still releases the local store's lock (its exit hook).
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
