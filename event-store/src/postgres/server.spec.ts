import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { PortTakenError, PostgresStartError } from './postmaster.js';
import { listenOnFreePort, socketDirectory } from './server.js';

describe('embedded PostgreSQL connections', () => {
  it('go through the Unix-domain socket in the data dir, TCP staying open for other tools', async () => {
    const adminUrl = inject('postgresAdminUrl');
    if (!inject('postgresEmbedded')) return; // a server of its own (DATABASE_URL): its URL is used as given
    const socket = new URL(adminUrl).searchParams.get('host');
    expect(socket).toMatch(/\/pg$/);
    for (const connectionString of [adminUrl, adminUrl.replace(/\?.*$/, '')]) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        // inet_client_addr() is null over a Unix-domain socket, 127.0.0.1 over TCP.
        const { rows } = await client.query<{ address: string | null }>('SELECT inet_client_addr()::text AS address');
        expect(rows[0]!.address).toBe(connectionString === adminUrl ? null : '127.0.0.1/32');
      } finally {
        await client.end();
      }
    }
  });

  it('fall back to TCP alone when the socket path would be too long or unquotable', () => {
    expect(socketDirectory('/tmp/palabre-test-x/pg', 54321)).toBe('/tmp/palabre-test-x/pg');
    expect(socketDirectory(`/srv/${'deep/'.repeat(20)}pg`, 54321)).toBeNull();
    expect(socketDirectory('/srv/a"b/pg', 54321)).toBeNull();
    expect(socketDirectory('/srv/a\\b/pg', 54321)).toBeNull();
  });
});

describe('a free port taken before PostgreSQL binds it', () => {
  it('is given up for another free one, three times at most; a port asked for is never changed', async () => {
    const tried: number[] = [];
    const losingTwice = async (port: number) => {
      tried.push(port);
      if (tried.length < 3) throw new PortTakenError(`The embedded PostgreSQL could not listen on 127.0.0.1:${port}, whose port another program took meanwhile; start again.`);
      return port;
    };
    expect(await listenOnFreePort(losingTwice, undefined)).toBe(tried[2]);
    expect(tried).toHaveLength(3);

    const alwaysTaken = async () => {
      throw new PortTakenError('taken');
    };
    await expect(listenOnFreePort(alwaysTaken, undefined)).rejects.toBeInstanceOf(PortTakenError);
    await expect(listenOnFreePort(alwaysTaken, 5433)).rejects.toBeInstanceOf(PortTakenError);
    let calls = 0;
    const otherFailure = async () => {
      calls++;
      throw new PostgresStartError('disk full');
    };
    await expect(listenOnFreePort(otherFailure, undefined)).rejects.toThrow('disk full');
    expect(calls).toBe(1);
  });
});
