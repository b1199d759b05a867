import { answerDeadline } from '@palabre/domain';
import type { BundleFile } from '../bundle/format.js';
import { BundleFileWriter } from './files.js';
import type { ProjectStates, TrackedProject } from './projects.js';
import type { ProposalStates, TrackedProposal } from './proposals.js';
import { csvCell } from './readable.js';

/**
 * Readable proposals and projects, one row per proposal or project as of the export's last event.
 * The first columns are those of the public open data (GET /api/open-data/…), so the two compare;
 * then what an auditor checks against events.jsonl. No person is named: a resident author never
 * (not even by pseudonym), a group by its own name.
 */
export const PROPOSAL_COLUMNS = [
  'id', 'commune', 'quartier', 'state', 'category', 'title', 'supports', 'answer', 'answer_by', 'answer_late', 'cost_estimate', 'lat', 'lon', 'submitted_at',
  'author_kind', 'group_name', 'merged_into', 'support_threshold', 'answer_days', 'threshold_reached_at', 'answered_at', 'first_answered_at', 'answer_final', 'answer_cost',
  'answer_text_fr', 'answer_text_en', 'revision', 'last_leaf_index',
] as const;

export const PROJECT_COLUMNS = [
  'id', 'commune', 'status', 'title', 'stage', 'percent', 'currency', 'planned', 'committed', 'spent', 'milestones', 'proposals',
  'programme', 'stages', 'budget_reason', 'created_at', 'revision', 'last_leaf_index',
] as const;

/** A proposal's public state: hidden, withdrawn or merged, else its answer, else open. */
const stateOf = (p: TrackedProposal): string => (p.state.status !== 'published' ? p.state.status : (p.state.answer?.state ?? 'open'));

/** Proposals in id order, those whose events this version could read. */
export const readableProposals = (states: ProposalStates) => [...states.proposals].filter(([, p]) => !p.unreadable && p.state.status !== 'none').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
export const readableProjects = (states: ProjectStates) => [...states.projects].filter(([, p]) => !p.unreadable && p.state.status !== 'none').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function proposalRecord(id: string, p: TrackedProposal, states: ProposalStates, asOf: string) {
  const s = p.state;
  const content = s.content!;
  const deadline = s.rules ? answerDeadline(s.rules, p.thresholdReachedAt, p.answer?.firstAnsweredAt ?? null, asOf) : null;
  return {
    id,
    commune: s.communeId,
    quartier: content.quartierId,
    state: stateOf(p),
    category: content.category,
    title: content.title,
    supports: states.supportsOf(id),
    answer: s.answer?.state ?? null,
    answerBy: deadline?.answerBy ?? null,
    answerLate: deadline?.breached ?? false,
    costEstimate: content.costEstimate,
    location: content.location,
    submittedAt: p.submittedAt,
    authorKind: s.author?.kind ?? null,
    groupName: s.author?.kind === 'group' ? s.author.name : null,
    mergedInto: s.mergedInto,
    supportThreshold: s.rules?.supportThreshold ?? null,
    answerDays: s.rules?.answerDays ?? null,
    thresholdReachedAt: p.thresholdReachedAt,
    answeredAt: p.answer?.answeredAt ?? null,
    firstAnsweredAt: p.answer?.firstAnsweredAt ?? null,
    answerFinal: s.answer?.final ?? null,
    answerCost: p.answer?.cost ?? null,
    answerText: p.answer?.text ?? null,
    revision: p.revision,
    lastLeafIndex: p.lastLeafIndex,
  };
}

function projectRecord(id: string, p: TrackedProject) {
  const s = p.state;
  return {
    id,
    commune: s.communeId,
    status: s.status,
    title: p.title,
    stage: s.stage,
    percent: s.percent,
    currency: s.currency,
    budget: s.budget,
    milestones: p.milestones,
    proposals: p.proposalIds,
    programme: s.programme,
    budgetReason: p.budgetReason,
    createdAt: p.createdAt,
    revision: p.revision,
    lastLeafIndex: p.lastLeafIndex,
  };
}

const row = (values: readonly unknown[]) => `${values.map(csvCell).join(',')}\r\n`;

/** proposals.csv: `asOf` is the moment answer deadlines are judged at (the end of the export's range). */
export async function writeProposalsCsv(path: string, states: ProposalStates, asOf: string): Promise<BundleFile> {
  const file = new BundleFileWriter(path);
  await file.write(`${PROPOSAL_COLUMNS.join(',')}\r\n`);
  for (const [id, tracked] of readableProposals(states)) {
    const p = proposalRecord(id, tracked, states, asOf);
    await file.write(
      row([
        p.id, p.commune, p.quartier, p.state, p.category, p.title, p.supports, p.answer, p.answerBy, p.answerLate, p.costEstimate, p.location?.lat ?? null, p.location?.lon ?? null, p.submittedAt,
        p.authorKind, p.groupName, p.mergedInto, p.supportThreshold, p.answerDays, p.thresholdReachedAt, p.answeredAt, p.firstAnsweredAt, p.answerFinal, p.answerCost,
        p.answerText?.fr ?? null, p.answerText?.en ?? null, p.revision, p.lastLeafIndex,
      ]),
      1,
    );
  }
  return file.close();
}

/** proposals.geojson: each proposal with a point on the map, at that point. */
export async function writeProposalsGeojson(path: string, states: ProposalStates, asOf: string): Promise<BundleFile> {
  const features = readableProposals(states).flatMap(([id, tracked]) => {
    const { location, answerText: _text, ...properties } = proposalRecord(id, tracked, states, asOf);
    return location ? [{ type: 'Feature', id, geometry: { type: 'Point', coordinates: [location.lon, location.lat] }, properties }] : [];
  });
  return writeFeatures(path, features);
}

export async function writeProjectsCsv(path: string, states: ProjectStates): Promise<BundleFile> {
  const file = new BundleFileWriter(path);
  await file.write(`${PROJECT_COLUMNS.join(',')}\r\n`);
  for (const [id, tracked] of readableProjects(states)) {
    const p = projectRecord(id, tracked);
    await file.write(
      row([
        p.id, p.commune, p.status, p.title, p.stage, p.percent, p.currency, p.budget?.planned ?? null, p.budget?.committed ?? null, p.budget?.spent ?? null,
        p.milestones.length, p.proposals.join(' '), p.programme?.id ?? null, p.programme?.stages.join(' ') ?? null, p.budgetReason, p.createdAt, p.revision, p.lastLeafIndex,
      ]),
      1,
    );
  }
  return file.close();
}

/** projects.geojson: a project is where its milestones' evidence was photographed, one feature per photo with a place. */
export async function writeProjectsGeojson(path: string, states: ProjectStates): Promise<BundleFile> {
  const features = readableProjects(states).flatMap(([id, tracked]) => {
    const p = projectRecord(id, tracked);
    return p.milestones.flatMap((m) =>
      m.evidence.flatMap((photo) =>
        photo.point
          ? [{
              type: 'Feature',
              id: `${id}/${m.id}/${photo.mediaId}`,
              geometry: { type: 'Point', coordinates: [photo.point.lon, photo.point.lat] },
              properties: { project: id, commune: p.commune, title: p.title, status: p.status, stage: p.stage, percent: p.percent, milestone: m.title, milestoneId: m.id, reachedOn: m.reachedOn, mediaId: photo.mediaId, revision: p.revision, lastLeafIndex: p.lastLeafIndex },
            }]
          : [],
      ),
    );
  });
  return writeFeatures(path, features);
}

async function writeFeatures(path: string, features: readonly Record<string, unknown>[]): Promise<BundleFile> {
  const file = new BundleFileWriter(path);
  await file.write('{"type":"FeatureCollection","features":[\n');
  for (const [i, feature] of features.entries()) await file.write(`${i === 0 ? '' : ',\n'}${JSON.stringify(feature)}`, 1);
  await file.write('\n]}\n');
  return file.close();
}
