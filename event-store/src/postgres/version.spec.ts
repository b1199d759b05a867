import { describe, expect, it } from 'vitest';
import { connect } from '../testing/postgres.js';
import { assertSupportedPostgres, OLDEST_POSTGRES_MAJOR, unsupportedPostgres } from './version.js';

describe('the PostgreSQL server Palabre connects to', () => {
  it('is accepted when it is the test run’s own server (embedded, or the distribution’s on DATABASE_URL)', async () => {
    const client = await connect();
    try {
      const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
      expect(Number(rows[0]!.server_version_num)).toBeGreaterThanOrEqual(OLDEST_POSTGRES_MAJOR * 10_000);
      await expect(assertSupportedPostgres(client)).resolves.toBeUndefined();
    } finally {
      await client.end();
    }
  });

  it('is accepted at the versions this project runs on: embedded 18, Debian 12’s 15, and 15.0 itself', () => {
    expect(unsupportedPostgres(180004, '18.4')).toBeNull();
    expect(unsupportedPostgres(150018, '15.18 (Debian 15.18-0+deb12u1)')).toBeNull();
    expect(unsupportedPostgres(150000, '15.0')).toBeNull();
  });

  it('is refused with one sentence naming its version, the one needed, why, and the fix when older than 15', () => {
    // As Ubuntu 22.04's 14 and Debian 11's 13 answer SHOW server_version_num / server_version.
    const reason = unsupportedPostgres(140019, '14.19 (Ubuntu 14.19-0ubuntu0.22.04.1)');
    expect(reason).toBe(
      'This PostgreSQL server is version 14.19, and Palabre needs PostgreSQL 15 or newer (the log orders events by ' +
        'pg_current_xact_id and the read models rely on security_invoker views): upgrade the server, or leave ' +
        'DATABASE_URL unset to use the embedded PostgreSQL.',
    );
    expect(unsupportedPostgres(130022, '13.22 (Debian 13.22-0+deb11u1)')).toContain('version 13.22,');
    expect(unsupportedPostgres(90624, '9.6.24')).toContain('version 9.6.24,');
  });
});
