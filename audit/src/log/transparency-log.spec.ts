import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafHash } from '../merkle/hashing.js';
import { verifyConsistency, verifyInclusion } from '../merkle/verify.js';
import { openAuditFixture, tellTicket, type AuditFixture } from '../testing/log.js';
import { canonicalJson, canonicalJsonBytes } from '@palabre/event-store';
import { envelopeOf, envelopeText } from './envelope.js';
import { signLatestTreeHead } from './projector.js';
import { consistencyProofFor, inclusionProofFor, ProofError } from './proofs.js';
import { verifyTreeHead } from './tree-head.js';
import { latestTreeHead, listTreeHeads, storedTreeSize } from './tree-store.js';

let log: AuditFixture;

beforeAll(async () => {
  log = await openAuditFixture('audit_log');
  for (let i = 0; i < 6; i++) await tellTicket(log.store, { ticketId: `T${i}`, communeId: i % 2 ? 'dschang' : 'soa', day: '2026-07-0' + (i + 1), until: 'closed' });
  await log.project({ everyEvents: 10, everyMs: 3_600_000 });
});
afterAll(() => log.close());

const b = (s: string) => Buffer.from(s, 'base64');

describe('transparency log projector', () => {
  it('records one leaf per event in log order, each the hash of its canonical envelope', async () => {
    const events = await log.store.readAll(null, 1000);
    expect(await storedTreeSize(log.pool)).toBe(36);
    const { rows } = await log.pool.query<{ leaf_index: string; event_id: string; leaf_hash: Buffer }>('SELECT leaf_index, event_id, leaf_hash FROM audit.leaves ORDER BY leaf_index');
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.metadata.eventId));
    expect(rows[5]!.leaf_hash).toEqual(leafHash(canonicalJsonBytes(envelopeOf(events[5]!))));
    // The log hands back the canonical text it stored; assembled around it, the envelope is the same bytes.
    for (const event of events) {
      expect(event.canonical).toBeDefined();
      expect(envelopeText(event)).toBe(canonicalJson(envelopeOf(event)));
    }
  });

  it('signs a head every 10 events, each verifying with the key and consistent with the one before', async () => {
    const heads = await listTreeHeads(log.pool);
    // Batches of 7: the first batch opens the log, then a head once 10 or more events accrued.
    expect(heads.map((h) => h.treeSize)).toEqual([7, 21, 35]);
    for (const head of heads) expect(verifyTreeHead(head, log.signer.publicKey)).toBe(true);
    for (let i = 1; i < heads.length; i++) {
      const proof = await consistencyProofFor(log.pool, heads[i - 1]!.treeSize, heads[i]!.treeSize);
      expect(proof.fromRoot).toBe(heads[i - 1]!.rootHash);
      expect(verifyConsistency(proof.fromSize, proof.toSize, b(heads[i - 1]!.rootHash), b(heads[i]!.rootHash), proof.consistencyProof.map(b))).toBe(true);
    }
  });

  it('signs the last events on demand, and only once', async () => {
    const head = await signLatestTreeHead(log.pool, log.signer);
    expect(head?.treeSize).toBe(36);
    expect(verifyTreeHead(head!, log.signer.publicKey)).toBe(true);
    const again = await signLatestTreeHead(log.pool, log.signer);
    expect(again).toEqual(head);
    expect((await latestTreeHead(log.pool))?.treeSize).toBe(36);
  });

  it('serves inclusion proofs by event id or leaf index that verify against a signed root', async () => {
    const [event] = await log.store.readStream('ticket-T3', { fromRevision: 2, maxCount: 1 });
    const byId = await inclusionProofFor(log.pool, { eventId: event!.metadata.eventId });
    expect(byId.treeSize).toBe(36);
    expect(byId.treeHead?.rootHash).toBe(byId.rootHash);
    expect(verifyInclusion(byId.leafIndex, 36, leafHash(canonicalJsonBytes(envelopeOf(event!))), byId.inclusionProof.map(b), b(byId.rootHash))).toBe(true);
    const older = await inclusionProofFor(log.pool, { leafIndex: 3 }, 7);
    expect(verifyInclusion(3, 7, b(older.leafHash), older.inclusionProof.map(b), b((await listTreeHeads(log.pool))[0]!.rootHash))).toBe(true);
    await expect(inclusionProofFor(log.pool, { leafIndex: 20 }, 7)).rejects.toThrow(ProofError);
    await expect(inclusionProofFor(log.pool, { eventId: 'no-such-event' })).rejects.toMatchObject({ code: 'proof.unknown_event' });
  });

  it('refuses to rewrite its own history', async () => {
    await expect(log.pool.query('UPDATE audit.leaves SET leaf_hash = leaf_hash WHERE leaf_index = 0')).rejects.toThrow(/append-only/);
    await expect(log.pool.query('DELETE FROM audit.tree_heads')).rejects.toThrow(/append-only/);
  });
});
