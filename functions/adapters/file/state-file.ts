/**
 * The local run's store: the in-memory stores (functions/adapters/memory), their state kept in
 * one JSON file that several feedwatch processes share. No server, no port: only processes that
 * can open the file can read or change it.
 *
 * Every store call is a transaction on the file. Under a lock on the file, the process re-reads
 * it if another process has changed it since (each write gives the file a new random write id,
 * at its start), applies the call to its memory stores, and, for a call that writes, replaces
 * the file whole (written aside, flushed to disk, renamed over it).
 * A reader sees the file before a change or after it, never half of one; no change is lost when
 * two processes write; and a call resolves only once its change is on disk, so a restarted run
 * alerts on nothing it has already alerted. Calls that arrive while one is in progress are
 * applied together under the next lock, and written once.
 */
import { randomUUID } from 'node:crypto';
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { lock } from 'proper-lockfile';
import { errorMessage, FeedwatchError } from '#core/errors.ts';

export class LocalStoreError extends FeedwatchError {
  override name = 'LocalStoreError';
}

/** The file's format; a file of another version is refused rather than misread. */
const FORMAT = { name: 'feedwatch-local-store', version: 1 } as const;

/**
 * A lock older than this, not refreshed by its holder, was left by a process that died holding
 * it (a store call holds it for milliseconds; the holder refreshes it every LOCK_UPDATE_MS).
 */
const LOCK_STALE_MS = 10_000;
const LOCK_UPDATE_MS = 2_500;
/** About 30 s of retries: longer than LOCK_STALE_MS, so a dead holder's lock is taken over. */
const LOCK_RETRIES = { retries: 130, minTimeout: 5, maxTimeout: 250, factor: 1.5 };

/**
 * A method whose name says it only reads (get, list…, due): no write of the file follows it.
 * Any other method counts as a write, so a method added to a store later is saved, not lost.
 */
const READ_ONLY = /^(get|list|due$)/;

interface Pending {
  /** The name of the store called. */
  store: string;
  call: () => Promise<unknown>;
  writes: boolean;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * `stores` (memory stores, keyed by name), each method call a transaction on `file`. Each
 * store's state is the Map fields it holds: those are saved and restored, whatever they hold, so
 * a store or a field added to the memory adapters is persisted with no change here. Nothing is
 * left to close: a call resolves once its change is on disk, and a process that exits in the
 * middle of one leaves the file as it was (its lock goes with it).
 */
export function persistInFile<T extends Record<string, object>>(file: string, stores: T): T {
  const queue: Pending[] = [];
  let draining = false;
  /**
   * The write id of the file as this process last read or wrote it (null: no file yet;
   * undefined: read it afresh).
   */
  let known: string | null | undefined;
  /** The file's content as last read, kept whole for the stores and fields this process lacks. */
  let saved: Snapshot = {};
  /**
   * Each store's state as JSON, as last written: a write serialises again only the stores it
   * changed (a feed's poll does not serialise 90 days of matches).
   */
  const texts = new Map<string, string>();

  const load = async (): Promise<void> => {
    const head = await readHead(file);
    if (known !== undefined && (head === null ? known === null : writeIdOf(head) === known)) return;
    const bytes = head === null ? null : await readFile(file);
    if (bytes === null) {
      saved = {};
      known = null;
    } else {
      const content = parse(bytes, file);
      saved = content.stores;
      known = content.writeId;
    }
    restore(stores, saved);
    texts.clear();
  };

  const save = async (changed: ReadonlySet<string>): Promise<void> => {
    for (const [name, store] of Object.entries(stores)) {
      if (changed.has(name) || !texts.has(name))
        texts.set(name, JSON.stringify(storeState(store, saved[name])));
    }
    const others = Object.keys(saved).filter((name) => !texts.has(name));
    const members = [
      ...[...texts].map(([name, text]) => `${JSON.stringify(name)}:${text}`),
      ...others.map((name) => `${JSON.stringify(name)}:${JSON.stringify(saved[name])}`),
    ];
    const writeId = randomUUID();
    const head = JSON.stringify({ ...FORMAT, writeId }).slice(0, -1);
    await replaceFile(file, Buffer.from(`${head},"stores":{${members.join(',')}}}`));
    known = writeId;
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      let release: (() => Promise<void>) | undefined;
      try {
        release = await lock(file, {
          realpath: false,
          stale: LOCK_STALE_MS,
          update: LOCK_UPDATE_MS,
          retries: LOCK_RETRIES,
          // Held past LOCK_STALE_MS (a process stopped with Ctrl-Z) and taken over by another:
          // read the file afresh next time rather than trust what this process holds.
          onCompromised: () => {
            known = undefined;
          },
        }).catch((error: NodeJS.ErrnoException) => {
          throw new LocalStoreError(
            error.code === 'ELOCKED'
              ? `the local store ${file} stayed locked by another feedwatch process for 30 s: check what is running, then try again`
              : `cannot lock the local store ${file}: ${errorMessage(error)}`,
          );
        });
        await load();
        const outcomes: PromiseSettledResult<unknown>[] = [];
        for (const pending of batch) {
          outcomes.push(
            await pending.call().then(
              (value) => ({ status: 'fulfilled', value }) as const,
              (reason: unknown) => ({ status: 'rejected', reason }) as const,
            ),
          );
        }
        const changed = new Set(batch.filter((pending) => pending.writes).map((pending) => pending.store));
        if (changed.size > 0) await save(changed);
        batch.forEach((pending, index) => {
          const outcome = outcomes[index] as PromiseSettledResult<unknown>;
          if (outcome.status === 'fulfilled') pending.resolve(outcome.value);
          else pending.reject(outcome.reason);
        });
      } catch (error) {
        // What this process holds may now be ahead of the file: read it afresh next time.
        known = undefined;
        texts.clear();
        const failure =
          error instanceof LocalStoreError
            ? error
            : new LocalStoreError(`the local store ${file} failed: ${errorMessage(error)}`);
        for (const pending of batch) pending.reject(failure);
      } finally {
        await release?.().catch(() => {});
      }
    }
  };

  const enqueue = (store: string, call: () => Promise<unknown>, writes: boolean): Promise<unknown> =>
    new Promise((resolve, reject) => {
      queue.push({ store, call, writes, resolve, reject });
      if (draining) return;
      draining = true;
      void drain().finally(() => {
        draining = false;
      });
    });

  return Object.fromEntries(
    Object.entries(stores).map(([name, store]) => [
      name,
      new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function' || typeof property !== 'string') return value;
          return (...args: unknown[]) =>
            enqueue(name, () => value.apply(target, args), !READ_ONLY.test(property));
        },
      }),
    ]),
  ) as T;
}

type Snapshot = Record<string, Record<string, [unknown, unknown][]>>;

/**
 * A store's state (its Map fields as entry lists), over `saved`: a field this process does not
 * have (one a newer feedwatch added to the file) is kept as it was, not dropped.
 */
function storeState(store: object, saved: Record<string, [unknown, unknown][]> = {}) {
  return { ...saved, ...Object.fromEntries(mapFields(store).map(([field, map]) => [field, [...map]])) };
}

function restore(stores: Record<string, object>, saved: Snapshot): void {
  for (const [name, store] of Object.entries(stores)) {
    for (const [field, map] of mapFields(store)) {
      map.clear();
      for (const [key, value] of saved[name]?.[field] ?? []) map.set(key, value);
    }
  }
}

function mapFields(store: object): [string, Map<unknown, unknown>][] {
  return Object.entries(store).filter(
    (entry): entry is [string, Map<unknown, unknown>] => entry[1] instanceof Map,
  );
}

/**
 * The first bytes of `file` (null: no file): enough to hold its write id, which every write
 * draws afresh (JSON.stringify keeps the order of FORMAT's keys, then writeId).
 */
async function readHead(file: string): Promise<string | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

const HEAD_BYTES = 160;

function writeIdOf(head: string): string | undefined {
  return /^\{"name":"feedwatch-local-store","version":\d+,"writeId":"([0-9a-f-]{36})"/.exec(head)?.[1];
}

function parse(bytes: Buffer, file: string): { writeId: string | undefined; stores: Snapshot } {
  let content: { name?: unknown; version?: unknown; writeId?: unknown; stores?: unknown };
  try {
    content = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new LocalStoreError(
      `the local store ${file} is not valid JSON (${errorMessage(error)}): restore it from a backup, or move it away to start afresh`,
    );
  }
  if (
    content?.name !== FORMAT.name ||
    content.version !== FORMAT.version ||
    typeof content.stores !== 'object'
  ) {
    throw new LocalStoreError(
      `${file} is not a version ${FORMAT.version} feedwatch local store: use the feedwatch that wrote it, or move it away to start afresh`,
    );
  }
  return {
    writeId: typeof content.writeId === 'string' ? content.writeId : undefined,
    stores: content.stores as Snapshot,
  };
}

/**
 * Writes `bytes` aside, flushes them to disk, renames them over `file` and flushes the rename:
 * after a crash or a power cut the file holds the old state or the new, whole.
 */
async function replaceFile(file: string, bytes: Buffer): Promise<void> {
  const aside = `${file}.${process.pid}.tmp`;
  try {
    const handle = await open(aside, 'w', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(aside, file);
  } catch (error) {
    await rm(aside, { force: true });
    throw error;
  }
  const directory = await open(dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
