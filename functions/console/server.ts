import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { createConsoleApp } from './app.ts';
import type { ConsoleDeps } from './deps.ts';

/** The loopback address only: the console has no login, so nothing off this machine may reach it. */
export const CONSOLE_HOST = '127.0.0.1';

export interface ConsoleServer {
  /** Where the console answers, such as http://127.0.0.1:8787/. */
  url: string;
  close(): Promise<void>;
}

/** Serves the console on 127.0.0.1:`port` (0: any free port); rejects with the listen error (EADDRINUSE). */
export async function startConsole(deps: ConsoleDeps, port: number): Promise<ConsoleServer> {
  let hosts: string[] = [];
  const app = createConsoleApp(deps, { hosts: () => hosts });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const listening = serve({ fetch: app.fetch, port, hostname: CONSOLE_HOST }, () => {
      listening.off('error', reject);
      resolve(listening);
    });
    listening.once('error', reject);
  });
  const actual = (server.address() as AddressInfo).port;
  hosts = [`${CONSOLE_HOST}:${actual}`, `localhost:${actual}`];
  return {
    url: `http://${CONSOLE_HOST}:${actual}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser keeps its connection open; the run must not wait for it to go.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
