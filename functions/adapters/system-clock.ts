import type { Clock } from '#core/ports.ts';

/** The wall clock every deployed and local run reads; tests pass their own `Clock` instead. */
export const systemClock: Clock = { now: () => new Date() };
