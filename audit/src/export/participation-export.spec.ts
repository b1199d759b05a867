import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProgramme } from '@palabre/domain';
import { copyBundle, tempDir } from '../testing/bundles.js';
import { openAuditFixture, type AuditFixture } from '../testing/log.js';
import { Participation } from '../testing/participation.js';
import { verifyBundle } from '../verify/verify-bundle.js';
import { exportBundle, type ExportOptions } from './export-bundle.js';
import { normaliseScope } from './scope.js';

let log: AuditFixture;
let full: string;

const dispatcher = { id: 'U-dispatcher-soa', role: 'dispatcher' as const };
const agent = { id: 'U-agent-soa', role: 'field_agent' as const };
const resident = (id: string) => ({ id, role: 'citizen' as const });
const CITIZENS = ['C-author-route', 'C-author-route2', 'C-author-ecole', 'C-author-gone', 'C-s1', 'C-s2', 'C-s3', 'C-s4', 'C-s5'];
const at = (day: string, hour = 8) => `2026-07-${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

const content = (title: string, place: { location?: { lat: number; lon: number } | null; quartierId?: string | null }, costEstimate: number | null = null) => ({
  title,
  description: `${title}: les habitants le demandent depuis longtemps.`,
  category: 'voirie',
  location: place.location ?? null,
  quartierId: place.quartierId ?? null,
  mediaIds: [],
  costEstimate,
});

const dirOf = async (name: string, options: Partial<ExportOptions> = {}) => {
  const outDir = tempDir(name);
  await exportBundle({ store: log.store, pool: log.pool, scope: normaliseScope({}), formats: ['jsonl', 'csv', 'geojson'], outDir, signer: log.signer, workers: 1, ...options });
  return outDir;
};

/** RFC 4180 as the exporter writes it (quoted cells may hold commas, quotes doubled), into objects by header. */
function csvRecords(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k]!])));
}
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const byId = (records: Record<string, string>[]) => Object.fromEntries(records.map((r) => [r.id, r]));
const features = (dir: string, file: string) => JSON.parse(read(dir, file)).features as { id: string; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[];

beforeAll(async () => {
  log = await openAuditFixture('audit_participation');
  const soa = new Participation(log.store, 'soa');
  const submit = (id: string, author: string, c: ReturnType<typeof content>, day: string) =>
    soa.proposal('SubmitProposal', { proposalId: id, communeId: 'soa', author: { kind: 'citizen', citizenId: author }, level: 'phone', ...c }, resident(author), at(day));

  await submit('P-ROUTE', 'C-author-route', content('Réhabiliter la route du marché', { location: { lat: 3.9791, lon: 11.6052 } }, 5_000_000), '01');
  await submit('P-ROUTE2', 'C-author-route2', content('Goudronner la route, du marché "central"', { quartierId: 'soa-centre' }), '01');
  await submit('P-ECOLE', 'C-author-ecole', content('=Une école au quartier Nkolfoulou', { location: { lat: 3.9901, lon: 11.5902 }, quartierId: 'soa-nkolfoulou' }), '02');
  await submit('P-GONE', 'C-author-gone', content('Un marché le dimanche', { quartierId: 'soa-centre' }), '02');
  await soa.proposal(
    'SubmitProposal',
    { proposalId: 'P-GROUPE', communeId: 'soa', author: { kind: 'group', name: 'Comité de développement de Nkolfoulou', filedBy: agent.id }, level: null, ...content('Un forage pour le village', { location: { lat: 3.995, lon: 11.58 } }) },
    agent,
    at('03'),
  );

  // P-ROUTE2: C-s2 and C-s4 support it, C-s3 supports then withdraws.
  await soa.support('SupportProposal', 'P-ROUTE2', 'C-s2', at('04', 8));
  await soa.support('SupportProposal', 'P-ROUTE2', 'C-s4', at('04', 9));
  await soa.support('SupportProposal', 'P-ROUTE2', 'C-s3', at('04', 10));
  await soa.support('WithdrawSupport', 'P-ROUTE2', 'C-s3', at('04', 11));
  // P-ROUTE: C-s1 supports, withdraws and supports again (counted once), then C-s2 reaches the threshold of 2.
  await soa.support('SupportProposal', 'P-ROUTE', 'C-s1', at('05', 8));
  await soa.support('WithdrawSupport', 'P-ROUTE', 'C-s1', at('05', 9));
  await soa.support('SupportProposal', 'P-ROUTE', 'C-s1', at('05', 10));
  await soa.support('SupportProposal', 'P-ROUTE', 'C-s2', at('06', 8));
  // Merged: C-s2 supports both and counts once, C-s4 joins the count.
  await soa.proposal('MergeProposal', { proposalId: 'P-ROUTE2', into: 'P-ROUTE' }, dispatcher, at('07'));
  await soa.proposal('AnswerProposal', { proposalId: 'P-ROUTE', state: 'accepted', text: { fr: 'Inscrite au budget, travaux en août.' }, cost: 4_800_000 }, dispatcher, at('10'));
  // P-ECOLE reaches its threshold and is never answered: late once 21 days pass.
  await soa.support('SupportProposal', 'P-ECOLE', 'C-s1', at('08', 8));
  await soa.support('SupportProposal', 'P-ECOLE', 'C-s5', at('08', 9));
  await soa.proposal('WithdrawProposal', { proposalId: 'P-GONE' }, resident('C-author-gone'), at('09'));
  await soa.proposal('HideProposal', { proposalId: 'P-GROUPE', reason: 'Photo with a face, pending review' }, dispatcher, at('09'));

  await soa.project('CreateProject', { projectId: 'PR-ROUTE', communeId: 'soa', title: 'Route du marché', description: null, proposalIds: ['P-ROUTE'], programme: defaultProgramme, currency: 'XAF' }, dispatcher, at('11'));
  await soa.project('EnterStage', { projectId: 'PR-ROUTE', stage: 'planned' }, dispatcher, at('12'));
  await soa.project('ReportBudget', { projectId: 'PR-ROUTE', planned: 4_800_000, committed: 5_100_000, spent: 2_000_000, reason: 'Bitume plus cher' }, dispatcher, at('13'));
  await soa.project('EnterStage', { projectId: 'PR-ROUTE', stage: 'built' }, agent, at('20'));
  await soa.project('ReportProgress', { projectId: 'PR-ROUTE', percent: 60 }, agent, at('20', 9));
  await soa.project(
    'RecordMilestone',
    { projectId: 'PR-ROUTE', milestoneId: 'M-FONDATIONS', title: 'Fondations coulées', note: null, reachedOn: '2026-07-19', evidence: [{ mediaId: 'MED-1', point: { lat: 3.9795, lon: 11.6061 } }, { mediaId: 'MED-2', point: null }] },
    agent,
    at('20', 10),
  );
  await soa.project('NameCommitteeMember', { projectId: 'PR-ROUTE', role: 'treasurer', subjectId: 'S-TRESORIER' }, agent, at('21'));
  await log.project();
  full = await dirOf('full');
});
afterAll(() => log.close());

describe('proposals and projects in the bundle', () => {
  it('proposals.csv: one row per proposal, supports each citizen once (withdrawals, merges), answers and deadlines, hidden ones marked', () => {
    const rows = byId(csvRecords(read(full, 'proposals.csv')));
    expect(Object.keys(rows).sort()).toEqual(['P-ECOLE', 'P-GONE', 'P-GROUPE', 'P-ROUTE', 'P-ROUTE2']);
    expect(rows['P-ROUTE']).toMatchObject({
      commune: 'soa', state: 'accepted', category: 'voirie', title: 'Réhabiliter la route du marché', supports: '3', answer: 'accepted',
      answer_by: '2026-07-27T08:00:00.000Z', answer_late: 'false', cost_estimate: '5000000', lat: '3.9791', lon: '11.6052', submitted_at: at('01'),
      author_kind: 'citizen', group_name: '', support_threshold: '2', answer_days: '21', threshold_reached_at: at('06'), answered_at: at('10'), answer_final: 'true',
      answer_cost: '4800000', answer_text_fr: 'Inscrite au budget, travaux en août.',
    });
    expect(rows['P-ROUTE2']).toMatchObject({ state: 'merged', merged_into: 'P-ROUTE', supports: '2', title: 'Goudronner la route, du marché "central"', quartier: 'soa-centre', lat: '' });
    expect(rows['P-ECOLE']).toMatchObject({ state: 'open', supports: '2', threshold_reached_at: at('08', 9), answer_by: '2026-07-29T09:00:00.000Z', answer_late: 'true', answer: '' });
    expect(rows['P-ECOLE']!.title).toBe("'=Une école au quartier Nkolfoulou"); // a formula defused, as in events.csv
    expect(rows['P-GONE']).toMatchObject({ state: 'withdrawn', supports: '0', answer_by: '', answer_late: 'false' });
    expect(rows['P-GROUPE']).toMatchObject({ state: 'hidden', author_kind: 'group', group_name: 'Comité de développement de Nkolfoulou' });
    // The last event of each proposal is named, to check the row against events.jsonl.
    const leaf = Number(rows['P-ROUTE']!.last_leaf_index);
    const line = read(full, 'events.jsonl').split('\n').find((l) => l.startsWith(`{"leafIndex":${leaf},`))!;
    expect(JSON.parse(line).event).toMatchObject({ stream: 'proposal-P-ROUTE', type: 'ProposalAnswered', revision: Number(rows['P-ROUTE']!.revision) });
  });

  it('proposals.geojson: each proposal with a point, at that point', () => {
    const found = Object.fromEntries(features(full, 'proposals.geojson').map((f) => [f.id, f]));
    expect(Object.keys(found).sort()).toEqual(['P-ECOLE', 'P-GROUPE', 'P-ROUTE']); // P-ROUTE2 and P-GONE name only a quartier
    expect(found['P-ROUTE']!.geometry.coordinates).toEqual([11.6052, 3.9791]);
    expect(found['P-ROUTE']!.properties).toMatchObject({ state: 'accepted', supports: 3, answerLate: false, commune: 'soa', title: 'Réhabiliter la route du marché' });
    expect(found['P-GROUPE']!.properties).toMatchObject({ state: 'hidden', groupName: 'Comité de développement de Nkolfoulou' });
  });

  it('projects.csv and projects.geojson: stage, budget, progress, milestones; a feature per photo with a place', () => {
    const [row, ...others] = csvRecords(read(full, 'projects.csv'));
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      id: 'PR-ROUTE', commune: 'soa', status: 'active', title: 'Route du marché', stage: 'built', percent: '60', currency: 'XAF',
      planned: '4800000', committed: '5100000', spent: '2000000', milestones: '1', proposals: 'P-ROUTE', programme: 'community-subprojects',
      budget_reason: 'Bitume plus cher', created_at: at('11'), revision: '6',
    });
    const [photo, ...more] = features(full, 'projects.geojson');
    expect(more).toEqual([]); // MED-2 has no place
    expect(photo).toMatchObject({
      id: 'PR-ROUTE/M-FONDATIONS/MED-1',
      geometry: { type: 'Point', coordinates: [11.6061, 3.9795] },
      properties: { project: 'PR-ROUTE', title: 'Route du marché', status: 'active', percent: 60, milestone: 'Fondations coulées', milestoneId: 'M-FONDATIONS', reachedOn: '2026-07-19', mediaId: 'MED-1' },
    });
  });

  it('the manifest lists and counts them; no readable file holds a citizen id or a staff account id', () => {
    const manifest = JSON.parse(read(full, 'manifest.json'));
    expect(Object.keys(manifest.files).sort()).toEqual(['events.csv', 'events.jsonl', 'projects.csv', 'projects.geojson', 'proposals.csv', 'proposals.geojson', 'tickets.geojson']);
    expect(manifest.files['proposals.csv'].records).toBe(5);
    expect(manifest.files['projects.geojson'].records).toBe(1);
    expect(manifest.counts).toMatchObject({ proposals: 5, projects: 1 });
    for (const file of ['events.csv', 'proposals.csv', 'proposals.geojson', 'projects.csv', 'projects.geojson']) {
      const text = read(full, file);
      for (const id of [...CITIZENS, dispatcher.id, agent.id]) expect([file, text.includes(id)]).toEqual([file, false]);
    }
    for (const file of ['proposals.csv', 'proposals.geojson', 'projects.csv', 'projects.geojson']) expect(read(full, file)).not.toContain('S-TRESORIER');
    expect(read(full, 'events.csv')).toContain('Comité de développement de Nkolfoulou'); // a group is named by its own name
    expect(read(full, 'events.jsonl')).toContain('"C-s1"'); // the evidence itself is verbatim
    expect(read(full, 'README.md')).toMatch(/## Proposals and projects[\s\S]*`supports` counts the distinct citizens/);
  });

  it('the verifier accepts the bundle and refuses it when a proposals or projects file is altered', async () => {
    expect((await verifyBundle(full)).failures).toEqual([]);
    for (const [file, from, to] of [
      ['proposals.csv', ',accepted,', ',rejected,'],
      ['proposals.geojson', '"supports":3', '"supports":30'],
      ['projects.csv', ',2000000,', ',200000,'],
      ['projects.geojson', '11.6061', '11.6062'],
    ] as const) {
      const dir = copyBundle(full);
      const text = read(dir, file);
      expect(text).toContain(from);
      writeFileSync(join(dir, file), text.replace(from, to));
      const report = await verifyBundle(dir);
      expect(report.ok).toBe(false);
      expect(report.firstFailure).toMatchObject({ check: 'file', position: file });
    }
  });

  it('formats and scope are honoured: CSV only writes no GeoJSON; a ticket-only scope writes no proposals or projects', async () => {
    const csvOnly = await dirOf('csv-only', { formats: ['csv'] });
    expect(Object.keys(JSON.parse(read(csvOnly, 'manifest.json')).files).sort()).toEqual(['events.csv', 'projects.csv', 'proposals.csv']);
    expect((await verifyBundle(csvOnly)).ok).toBe(true);
    const tickets = await dirOf('tickets-only', { scope: normaliseScope({ streamTypes: ['ticket'] }) });
    expect(Object.keys(JSON.parse(read(tickets, 'manifest.json')).files).sort()).toEqual(['events.csv', 'events.jsonl', 'tickets.geojson']);
  });

  it('a scope starting mid-way catches proposals and projects up from their streams and warns that earlier supports are not counted', async () => {
    const dir = await dirOf('from-july-10', { scope: normaliseScope({ communeId: 'soa', from: '2026-07-10' }) });
    expect((await verifyBundle(dir)).ok).toBe(true);
    const rows = byId(csvRecords(read(dir, 'proposals.csv')));
    expect(Object.keys(rows)).toEqual(['P-ROUTE']); // answered on the 10th; the others' last events came before
    expect(rows['P-ROUTE']).toMatchObject({ state: 'accepted', title: 'Réhabiliter la route du marché', submitted_at: at('01') });
    expect(JSON.parse(read(dir, 'manifest.json')).warnings.join(' ')).toMatch(/Supports are counted from this bundle's events/);
    const later = await dirOf('from-july-12', { scope: normaliseScope({ communeId: 'soa', from: '2026-07-12' }) });
    expect(csvRecords(read(later, 'proposals.csv'))).toEqual([]);
    expect(csvRecords(read(later, 'projects.csv'))).toMatchObject([{ id: 'PR-ROUTE', stage: 'built', title: 'Route du marché', proposals: 'P-ROUTE', created_at: at('11'), revision: '6' }]);
  });
});
