import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { afterEach, describe, expect, test } from 'vitest';
import { startFeedServer } from './helpers/feed-server.ts';
import { startCli, waitFor } from './helpers/processes.ts';

/**
 * The local run is reachable only from this machine: `feedwatch run` (what `npm start` runs),
 * and any process it starts, listens on no address other machines reach. The sockets are read
 * from the kernel (/proc), not from a list of the ports Feedwatch means to open, so a listener
 * added later is covered too.
 */

interface Listener {
  address: string;
  port: number;
}

/** `pid` and every process it started, and they started, still running. */
async function processTree(pid: number): Promise<number[]> {
  const tree = [pid];
  for (let next = 0; next < tree.length; next++) {
    const parent = tree[next] as number;
    for (const task of await readdir(`/proc/${parent}/task`).catch(() => [])) {
      const children = await readFile(`/proc/${parent}/task/${task}/children`, 'utf8').catch(() => '');
      tree.push(...children.split(' ').filter(Boolean).map(Number));
    }
  }
  return tree;
}

/**
 * The TCP sockets that process `pid`, or any process it started, listens on (Linux: their
 * socket fds, looked up in /proc/net/tcp and tcp6).
 */
async function listeningSockets(pid: number): Promise<Listener[]> {
  const inodes = new Set<string>();
  for (const member of await processTree(pid)) {
    for (const fd of await readdir(`/proc/${member}/fd`).catch(() => [])) {
      const target = await readlink(`/proc/${member}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    }
  }
  const listeners: Listener[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const row of rows) {
      const columns = row.trim().split(/\s+/);
      const [local, state, inode] = [columns[1], columns[3], columns[9]];
      // 0A: TCP_LISTEN.
      if (!local || state !== '0A' || !inode || !inodes.has(inode)) continue;
      const [hexAddress = '', hexPort = ''] = local.split(':');
      listeners.push({ address: kernelAddress(hexAddress), port: Number.parseInt(hexPort, 16) });
    }
  }
  return listeners;
}

/** /proc/net/tcp* write each 32-bit word of an address in the machine's byte order (little-endian here). */
function kernelAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) =>
    (word.match(/../g) ?? []).map((byte) => Number.parseInt(byte, 16)).reverse(),
  );
  const address = ipaddr.fromByteArray(bytes);
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address().toString()
    : address.toString();
}

function isLoopback(address: string): boolean {
  return ipaddr.parse(address).range() === 'loopback';
}

/** How a connection to `address`:`port` ends: 'connected', or the error code (ECONNREFUSED). */
function tryConnect(address: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** This machine's addresses that are not loopback, as another machine on its networks would reach it. */
const outwardAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((address) => address !== undefined && !address.internal && address.family === 'IPv4')
  .map((address) => address?.address as string);

let run: ChildProcessByStdio<null, Readable, Readable> | undefined;

afterEach(() => {
  if (run?.exitCode === null) run.kill('SIGKILL');
  run = undefined;
});

describe('the local run and the network', () => {
  test('the socket list is read right: it finds this test process listening on loopback', async () => {
    const server = await startFeedServer({ routes: {} });
    try {
      expect(await listeningSockets(process.pid)).toContainEqual({ address: '127.0.0.1', port: server.port });
    } finally {
      await server.close();
    }
  });

  test.skipIf(outwardAddresses.length === 0)(
    'feedwatch run, and whatever it starts, listens on no address but loopback and refuses connections from outside',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'feedwatch-network-'));
      await writeFile(
        join(dir, 'feed.xml'),
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
      );
      await writeFile(
        join(dir, 'feedwatch.config.json'),
        JSON.stringify({
          intervalMinutes: 60,
          feeds: ['feed.xml'],
          watches: [{ id: 'truce', query: 'truce' }],
        }),
      );
      const started = startCli(['run'], dir);
      run = started.command;
      const pid = run.pid as number;
      // Up and idle: everything the run opens is open by its first "next cycle" line.
      await waitFor(async () => started.output.stderr.includes('feedwatch: next cycle in 60 min'), 30_000);

      const listeners = await listeningSockets(pid);
      const fromOutside = await Promise.all(
        outwardAddresses.flatMap((address) =>
          listeners.map(async ({ port }) => ({ address, port, outcome: await tryConnect(address, port) })),
        ),
      );

      expect(listeners.filter((listener) => !isLoopback(listener.address))).toEqual([]);
      expect(fromOutside.filter(({ outcome }) => outcome !== 'ECONNREFUSED')).toEqual([]);
    },
    40_000,
  );
});

if (outwardAddresses.length === 0) {
  // Said where the skip is reported, so a reader of the output knows what was not tried.
  console.warn(
    'cli-local-network: this machine has no address but loopback, so connecting from one was not tried',
  );
}
