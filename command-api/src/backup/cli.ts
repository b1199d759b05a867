#!/usr/bin/env node
/** `npm run backup -- --out FILE [--encrypt]` and `npm run restore -- FILE`. */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectToDatabase } from '@palabre/audit';
import { loadConfig } from '../config.js';
import { writeBackup } from './backup.js';
import type { Decryption, Encryption } from './encryption.js';
import { restoreBackup } from './restore.js';

const usage = `Usage:
  npm run backup -- --out FILE [--encrypt [--passphrase-file FILE | --public-key FILE]]
  npm run restore -- FILE [--passphrase-file FILE | --key PRIVATE_KEY_FILE]
A passphrase may also come from PALABRE_BACKUP_PASSPHRASE.`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      encrypt: { type: 'boolean', default: false },
      'passphrase-file': { type: 'string' },
      'public-key': { type: 'string' },
      key: { type: 'string' },
    },
  });
  const passphrase = values['passphrase-file'] ? readFileSync(values['passphrase-file'], 'utf8').replace(/\r?\n$/, '') : process.env.PALABRE_BACKUP_PASSPHRASE;
  if (command === 'backup') {
    if (!values.out) throw new Error(`Say where to write the backup with --out FILE.\n${usage}`);
    if (process.env.EVENTSTORE_URL) throw new Error('The log is in KurrentDB (EVENTSTORE_URL): back it up with KurrentDB\'s own tools; this command backs up a log kept in PostgreSQL.');
    let encryption: Encryption | undefined;
    if (values['public-key']) encryption = { publicKey: createPublicKey(readFileSync(values['public-key'])) };
    else if (values.encrypt) {
      if (!passphrase) throw new Error('--encrypt needs a passphrase (PALABRE_BACKUP_PASSPHRASE or --passphrase-file FILE) or --public-key FILE.');
      encryption = { passphrase };
    }
    const config = loadConfig();
    const connection = await connectToDatabase((line) => console.log(line));
    try {
      const out = resolve(values.out);
      const started = performance.now();
      const { manifest, bytes } = await writeBackup({ pool: connection.pool, dataDir: config.dataDir, mediaDir: config.mediaDir }, { out, ...(encryption ? { encryption } : {}) });
      const tree = manifest.transparencyLog;
      console.log(`Backup written to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${(bytes / 1e6).toFixed(1)} MB (${manifest.compression}${manifest.encrypted ? ', encrypted' : ''}).
  ${manifest.events} events (log head ${manifest.log.head ?? 'none'}), ${manifest.rows['vault.subjects']} vault subjects, ${manifest.rows['auth.credentials']} staff credentials, ${manifest.keys.length} keys, ${manifest.media.files} media files.
  Transparency log tree head: ${tree.treeSize} leaves, root ${tree.rootHash ?? '(empty)'}.${manifest.encrypted ? '' : '\n  Not encrypted: the file holds the keys of this Palabre; keep it as safe as the server (or use --encrypt).'}`);
    } finally {
      await connection.close();
    }
    return;
  }
  if (command === 'restore') {
    const file = positionals[0];
    if (!file) throw new Error(`Name the backup to restore.\n${usage}`);
    const decryption: Decryption = {
      ...(passphrase ? { passphrase } : {}),
      ...(values.key ? { privateKey: createPrivateKey(readFileSync(values.key)) } : {}),
    };
    const config = loadConfig();
    const result = await restoreBackup(
      { databaseUrl: config.databaseUrl, dataDir: config.dataDir, mediaDir: config.mediaDir },
      { file: resolve(file), decryption, log: (line) => console.log(line) },
    );
    for (const warning of result.warnings) console.log(`Warning: ${warning}`);
    const { treeHead, signedHeads } = result;
    console.log(`Restored ${result.manifest.events} events from the snapshot of ${result.manifest.snapshotAt} into ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir}; read models rebuilt from ${result.rebuiltEvents} events.`);
    if (treeHead.treeSize === 0) console.log('Transparency log: the backup had no tree head yet; the tree was built from the log.');
    else if (treeHead.equal) console.log(`Transparency log: the rebuilt tree head at ${treeHead.treeSize} leaves equals the backup's (root ${treeHead.rootHash}).`);
    else console.log(`Transparency log: the rebuilt tree head at ${treeHead.treeSize} leaves DIFFERS from the backup's (${treeHead.rebuiltRootHash ?? 'missing'} instead of ${treeHead.rootHash}).`);
    console.log(`Signed tree heads: ${signedHeads.verified} verified over the rebuilt tree${signedHeads.failed.length ? `, ${signedHeads.failed.length} FAILED (sizes ${signedHeads.failed.slice(0, 5).join(', ')})` : ''}.`);
    if (!treeHead.equal || signedHeads.failed.length > 0) process.exitCode = 1;
    return;
  }
  throw new Error(usage);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
