import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '@palabre/command-api/vault/vault';
import { ensureVaultSchema } from '@palabre/command-api/vault/schema';
import { signTreeHead } from '../log/tree-head.js';
import { signerFromSeed } from '../signing/keys.js';
import { copyBundle, jsonlLines, tempDir, writeJsonl } from '../testing/bundles.js';
import { createStaffAccount, openAuditFixture, tellTicket, type AuditFixture } from '../testing/log.js';
import { verifyBundle } from '../verify/verify-bundle.js';
import { exportBundle, type ExportOptions } from './export-bundle.js';
import { normaliseScope } from './scope.js';

let log: AuditFixture;
let vault: Vault;
let full: string;

const everything = normaliseScope({});
const exportTo = (name: string, options: Partial<ExportOptions> = {}) =>
  exportBundle({ store: log.store, pool: log.pool, scope: everything, formats: ['jsonl', 'csv', 'geojson'], outDir: tempDir(name), signer: log.signer, ...options });
const dirOf = async (name: string, options: Partial<ExportOptions> = {}) => {
  const outDir = tempDir(name);
  await exportTo(name, { ...options, outDir });
  return outDir;
};

beforeAll(async () => {
  log = await openAuditFixture('audit_export');
  await ensureVaultSchema(log.pool);
  vault = new Vault(log.pool, randomBytes(32));
  await vault.storeContact('SAMINA', { name: 'Amina Ngono', phone: '+237 677 12 34 56' });
  await createStaffAccount(log.store, 'U-dispatcher-soa', 'dispatcher.soa', 'soa');
  await tellTicket(log.store, { ticketId: 'TJUNE', communeId: 'soa', day: '2026-06-30', until: 'closed' }); // reported in June, closed on 1 July
  await tellTicket(log.store, { ticketId: 'TJULY', communeId: 'soa', day: '2026-07-10', until: 'closed', confidential: true, contactSubjectId: 'SAMINA' });
  await tellTicket(log.store, { ticketId: 'TAUG', communeId: 'soa', day: '2026-08-20', until: 'assigned' });
  await tellTicket(log.store, { ticketId: 'TDSCH', communeId: 'dschang', day: '2026-08-21', until: 'closed' });
  await tellTicket(log.store, { ticketId: 'TOCT', communeId: 'soa', day: '2026-10-02', until: 'reported' });
  await log.project();
  full = await dirOf('full', { staffNames: true });
});
afterAll(() => log.close());

describe('exports', () => {
  it('a full export holds every event with its proof, and verifies', async () => {
    const report = await verifyBundle(full);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    const manifest = JSON.parse(readFileSync(join(full, 'manifest.json'), 'utf8'));
    expect(report.events).toBe(manifest.treeHead.treeSize);
    expect(Object.keys(manifest.files).sort()).toEqual(['events.csv', 'events.jsonl', 'projects.csv', 'projects.geojson', 'proposals.csv', 'proposals.geojson', 'tickets.geojson']);
    expect(manifest.counts).toMatchObject({ proposals: 0, projects: 0 }); // none in this log: the files hold a header or no feature
    expect(readFileSync(join(full, 'README.md'), 'utf8')).toContain('palabre-audit verify');
  });

  it('a scoped export (commune, quarter, tickets) holds only its scope and verifies', async () => {
    const dir = await dirOf('soa-q3', { scope: normaliseScope({ communeId: 'soa', from: '2026-07-01', to: '2026-09-30', streamTypes: ['ticket'], excludedStreamTypes: ['staff'] }) });
    expect((await verifyBundle(dir)).ok).toBe(true);
    const events = jsonlLines(dir).map((l) => JSON.parse(l).event);
    expect(new Set(events.map((e) => e.stream))).toEqual(new Set(['ticket-TJUNE', 'ticket-TJULY', 'ticket-TAUG']));
    expect(events.every((e) => e.metadata.communeId === 'soa' && e.recordedAt >= '2026-07-01' && e.recordedAt < '2026-10-01')).toBe(true);
    const features = JSON.parse(readFileSync(join(dir, 'tickets.geojson'), 'utf8')).features;
    const byId = Object.fromEntries(features.map((f: any) => [f.id, f.properties]));
    expect(Object.keys(byId).sort()).toEqual(['TAUG', 'TJULY', 'TJUNE']);
    expect(byId.TJUNE).toMatchObject({ status: 'closed', category: 'salubrite', teamId: 'soa-salubrite' }); // caught up from its June report
    expect(byId.TJULY.status).toBe('closed');
  });

  it('names no one in the readable files unless staff names are allowed', async () => {
    const dir = await dirOf('pseudonymised');
    const csv = readFileSync(join(dir, 'events.csv'), 'utf8');
    const geojson = readFileSync(join(dir, 'tickets.geojson'), 'utf8');
    expect(csv).not.toContain('U-dispatcher-soa');
    expect(csv).not.toContain('dispatcher.soa');
    expect(csv).not.toContain('CTJULY'); // citizen ids are pseudonymised too
    expect(csv).toMatch(/,dispatcher,staff-[0-9a-f]{12},/);
    expect(jsonlLines(dir).some((l) => l.includes('"staff-U-dispatcher-soa"'))).toBe(false); // staff streams left out
    for (const text of [csv, geojson]) {
      expect(text).not.toContain('Amina');
      expect(text).not.toContain('Le bac déborde près du marché (TJULY)'); // confidential free text withheld
      expect(text).toContain('Le bac déborde près du marché (TAUG)');
    }
    expect((await verifyBundle(dir)).ok).toBe(true);
    const named = readFileSync(join(full, 'events.csv'), 'utf8');
    expect(named).toMatch(/,dispatcher,dispatcher\.soa,/);
  });
});

describe('the verifier finds tampering in a bundle', () => {
  const lineOf = (lines: string[], stream: string, revision: number) => lines.findIndex((l) => l.includes(`"revision":${revision},"stream":"${stream}"`)); // canonical member order

  it('one byte of one event changed: the event is named', async () => {
    const dir = copyBundle(full);
    const lines = jsonlLines(dir);
    const i = lineOf(lines, 'ticket-TAUG', 2);
    lines[i] = lines[i]!.replace('"priority":"high"', '"priority":"higx"');
    writeJsonl(dir, lines);
    const report = await verifyBundle(dir);
    expect(report.ok).toBe(false);
    expect(report.firstFailure).toMatchObject({ check: 'event', line: i + 1, leafIndex: JSON.parse(lines[i]!).leafIndex });
    expect(report.failedEvents).toBe(1);
  });

  it('an event removed: the gap is named', async () => {
    const dir = copyBundle(full);
    const lines = jsonlLines(dir);
    const removed = JSON.parse(lines[9]!).leafIndex;
    writeJsonl(dir, [...lines.slice(0, 9), ...lines.slice(10)]);
    const report = await verifyBundle(dir);
    expect(report.firstFailure).toMatchObject({ check: 'event', line: 10, leafIndex: removed + 1 });
    expect(report.firstFailure!.message).toMatch(/missing/);
  });

  it('two events swapped: the first of them is named', async () => {
    const dir = copyBundle(full);
    const lines = jsonlLines(dir);
    [lines[4], lines[11]] = [lines[11]!, lines[4]!];
    writeJsonl(dir, lines);
    expect((await verifyBundle(dir)).firstFailure).toMatchObject({ check: 'event', line: 5 });
    // Swapping only the envelopes (leaf indexes kept in order) fails the same place.
    const again = copyBundle(full);
    const records = jsonlLines(again).map((l) => JSON.parse(l));
    [records[4].event, records[11].event] = [records[11].event, records[4].event];
    writeJsonl(again, records.map((r) => JSON.stringify(r)));
    expect((await verifyBundle(again)).firstFailure).toMatchObject({ check: 'event', line: 5, leafIndex: records[4].leafIndex });
  });

  it('lines re-serialised by another tool still verify; a second "event" member hiding behind the real one does not', async () => {
    const reformatted = copyBundle(full);
    const reverse = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());
    writeJsonl(reformatted, jsonlLines(full).map((l) => JSON.stringify(reverse({ ...JSON.parse(l), event: reverse(JSON.parse(l).event) }))));
    const report = await verifyBundle(reformatted);
    expect(report.failures.filter((f) => f.check === 'event')).toEqual([]);

    const smuggled = copyBundle(full);
    const lines = jsonlLines(smuggled);
    const forged = { ...JSON.parse(lines[3]!).event, type: 'TicketClosed' };
    lines[3] = `${lines[3]!.slice(0, -1)},"event":${JSON.stringify(forged)}}`; // JSON.parse keeps the last one
    writeJsonl(smuggled, lines);
    expect((await verifyBundle(smuggled)).firstFailure).toMatchObject({ check: 'event', line: 4 });
  });

  it('a proof altered in its line (a hash changed, dropped, added or not base64, a number changed or malformed) is refused at that line', async () => {
    const lines = jsonlLines(full);
    const at = 6;
    const record = JSON.parse(lines[at]!);
    const proof: string[] = record.inclusionProof;
    const flip = (hash: string) => (hash[0] === 'A' ? 'B' : 'A') + hash.slice(1);
    const rewrite = (edit: (line: string) => string) => {
      const dir = copyBundle(full);
      writeJsonl(dir, lines.map((l, i) => (i === at ? edit(l) : l)));
      return verifyBundle(dir);
    };
    const withProof = (hashes: string[]) => (line: string) => line.replace(JSON.stringify(proof), JSON.stringify(hashes));
    const edits = [
      withProof([flip(proof[0]!), ...proof.slice(1)]), // the sibling of the leaf
      withProof([...proof.slice(0, -1), flip(proof.at(-1)!)]), // the sibling below the root
      withProof(proof.slice(0, -1)),
      withProof([...proof, proof[0]!]),
      withProof([`${proof[0]!.slice(0, 42)}!=`, ...proof.slice(1)]),
      (line: string) => line.replace(`"leafIndex":${record.leafIndex},`, `"leafIndex":0${record.leafIndex},`),
      (line: string) => line.replace(`"treeSize":${record.treeSize}}`, `"treeSize":${record.treeSize + 1}}`),
    ];
    for (const edit of edits) {
      expect(edit(lines[at]!)).not.toBe(lines[at]);
      const report = await rewrite(edit);
      expect([edits.indexOf(edit), report.ok]).toEqual([edits.indexOf(edit), false]);
      expect(report.firstFailure).toMatchObject({ check: 'event', line: at + 1 });
    }
    // The same line as written verifies (the walk shares nodes with the lines around it).
    expect((await rewrite((l) => l)).ok).toBe(true);
  });

  it('a tree head forged without the key: its signature fails', async () => {
    const dir = copyBundle(full);
    const path = join(dir, 'tree-heads.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    const last = file.treeHeads.length - 1;
    file.treeHeads[last].timestamp = '2026-01-01T00:00:00.000Z'; // backdated
    writeFileSync(path, JSON.stringify(file));
    const report = await verifyBundle(dir);
    expect(report.firstFailure).toMatchObject({ check: 'tree-head', position: `tree-heads.json head ${last + 1} (size ${file.treeHeads[last].treeSize})` });
  });

  it('heads re-signed with another key pass only until the auditor pins the real key', async () => {
    const dir = copyBundle(full);
    const forger = signerFromSeed(Buffer.alloc(32, 9));
    const path = join(dir, 'tree-heads.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.treeHeads = file.treeHeads.map((h: any) => signTreeHead(forger, h.treeSize, Buffer.from(h.rootHash, 'base64'), new Date(h.timestamp)));
    writeFileSync(path, JSON.stringify(file));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.treeHead = file.treeHeads.at(-1);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'public-key.pem'), forger.publicKeyPem);
    expect((await verifyBundle(dir)).ok).toBe(true);
    const pinned = await verifyBundle(dir, { publicKeyPem: log.signer.publicKeyPem });
    expect(pinned.ok).toBe(false);
    expect(pinned.firstFailure).toMatchObject({ check: 'public-key' });
    expect(pinned.failures.filter((f) => f.check === 'tree-head').length).toBe(file.treeHeads.length);
  });

  it('a readable file edited after export: its digest fails', async () => {
    const dir = copyBundle(full);
    const path = join(dir, 'events.csv');
    writeFileSync(path, readFileSync(path, 'utf8').replace('closed', 'clozed'));
    expect((await verifyBundle(dir)).firstFailure).toMatchObject({ check: 'file', position: 'events.csv' });
  });
});

describe('right to be forgotten', () => {
  it('erasing a subject shows as erased in exports, leaves no trace of them, and every proof still verifies', async () => {
    const before = await dirOf('before-erasure', { scope: normaliseScope({ communeId: 'soa', excludedStreamTypes: ['staff'] }) });
    const held = JSON.parse(readFileSync(join(before, 'tickets.geojson'), 'utf8')).features.find((f: any) => f.id === 'TJULY').properties;
    expect(held).toMatchObject({ contactSubjectId: 'SAMINA', contactStatus: 'held' });

    await vault.forgetSubject('SAMINA');
    expect(await vault.readContact('SAMINA')).toEqual({ erased: true });
    const after = await dirOf('after-erasure', { scope: normaliseScope({ communeId: 'soa', excludedStreamTypes: ['staff'] }) });
    const erased = JSON.parse(readFileSync(join(after, 'tickets.geojson'), 'utf8')).features.find((f: any) => f.id === 'TJULY').properties;
    expect(erased.contactStatus).toBe('erased');
    expect(readFileSync(join(after, 'events.csv'), 'utf8')).toMatch(/,SAMINA,erased,/);
    for (const dir of [before, after]) {
      expect((await verifyBundle(dir)).ok).toBe(true);
      for (const file of ['events.jsonl', 'events.csv', 'tickets.geojson']) {
        const text = readFileSync(join(dir, file), 'utf8');
        expect(text).not.toContain('Amina');
        expect(text).not.toContain('677123456');
      }
    }
    expect(jsonlLines(after)).toEqual(jsonlLines(before)); // the log, its leaves and proofs did not change
  });
});
