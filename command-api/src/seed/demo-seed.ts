import { randomBytes } from 'node:crypto';
import {
  type ConsultationCommand,
  consultationDecider,
  defaultProgramme,
  demoReference,
  parseConsultationCommand,
  parseProjectCommand,
  parseProposalCommand,
  parseSupportCommand,
  placeOf,
  type ProjectCommand,
  projectDecider,
  type ProposalCommand,
  proposalDecider,
  proposalPolicyOf,
  routeReport,
  type StaffRole,
  supportDecider,
  supportId,
} from '@palabre/domain';
import type { Credentials } from '../auth/credentials.js';
import type { Principal } from '../platform/principal.js';
import type { Infrastructure } from '../platform/infrastructure.js';
import { saveReference } from '../reference/reference-catalog.js';
import { StaffDirectory } from '../staff/staff-directory.js';
import { Streams } from '../platform/streams.js';
import { TicketStreams } from '../tickets/ticket-streams.js';

const SYSTEM: Principal = { kind: 'staff', id: 'system', role: 'system', communes: '*' };

export interface DemoAccount {
  readonly username: string;
  readonly role: StaffRole;
  readonly communeId: string | null;
}

/** The demo staff: four roles per commune and a national admin. */
export function demoAccounts(): DemoAccount[] {
  const perCommune = demoReference.communes.flatMap((c) =>
    (
      [
        ['admin', 'admin'],
        ['dispatcher', 'dispatcher'],
        ['agent', 'field_agent'],
        ['auditor', 'auditor'],
      ] as const
    ).map(([name, role]) => ({ username: `${name}.${c.id}`, role, communeId: c.id })),
  );
  return [{ username: 'admin', role: 'admin', communeId: null }, ...perCommune];
}

export interface SeedResult {
  /** The demo password when this run set it (first start, or PALABRE_DEMO_PASSWORD); null when unchanged. */
  readonly password: string | null;
  readonly accounts: readonly DemoAccount[];
}

/**
 * Idempotent demo data: reference data, staff accounts (event-sourced, fixed command ids so a
 * second start appends nothing), a few tickets in Soa and Dschang, and two consultations in Soa.
 */
export async function seedDemo(infra: Infrastructure, credentials: Credentials, options: { password: string | null; tickets: boolean }): Promise<SeedResult> {
  await saveReference(infra.pool, demoReference);
  const clock = () => new Date();
  const streams = new Streams(infra.store, clock);
  const staff = new StaffDirectory(streams, infra.pool);
  const accounts = demoAccounts();
  const { rows } = await infra.pool.query<{ username: string }>('SELECT username FROM auth.credentials WHERE username = ANY($1)', [accounts.map((a) => a.username)]);
  const existing = new Set(rows.map((r) => r.username));
  const password = options.password ?? (existing.size === accounts.length ? null : randomBytes(9).toString('base64url'));
  for (const account of accounts) {
    const userId = `U-${account.username.replace('.', '-')}`;
    await staff.execute({ type: 'CreateStaffUser', data: { userId, username: account.username, communeId: account.communeId } }, SYSTEM, `seed:create:${account.username}`, 'seed').catch(ignoreAlreadyDone);
    await staff.execute({ type: 'GrantRole', data: { userId, role: account.role, communeId: account.communeId } }, SYSTEM, `seed:grant:${account.username}`, 'seed');
    if (password !== null && (options.password !== null || !existing.has(account.username))) await credentials.setPassword(userId, account.username, password);
  }
  if (options.tickets) {
    await seedTickets(new TicketStreams(streams));
    await seedConsultations(streams);
    await seedParticipation(streams);
  }
  return { password, accounts };
}

function ignoreAlreadyDone(error: { code?: string }): void {
  if (error.code !== 'staff.already_exists') throw error;
}

/** A few realistic reports with some history; fixed ids make a second start a no-op. */
async function seedTickets(tickets: TicketStreams): Promise<void> {
  const citizen = (id: string): Principal => ({ kind: 'citizen', id, role: 'citizen', communes: '*' });
  const dispatcher = (communeId: string): Principal => ({ kind: 'staff', id: `U-dispatcher-${communeId}`, role: 'dispatcher', communes: [communeId] });
  const reports = [
    { id: 'TDEMOSOA0001', commune: 'soa', category: 'salubrite', subcategory: 'bacs-pleins', lat: 3.9805, lon: 11.5985, description: 'Le bac à ordures du marché déborde depuis trois jours.', landmark: 'devant le marché de Soa' },
    { id: 'TDEMOSOA0002', commune: 'soa', category: 'voirie', subcategory: 'nids-de-poule', lat: 3.985, lon: 11.605, description: 'Gros nid-de-poule sur la route de l’université, dangereux pour les motos.', landmark: 'près du carrefour de l’université' },
    { id: 'TDEMOSOA0003', commune: 'soa', category: 'eclairage', subcategory: null, lat: 3.975, lon: 11.595, description: 'Lampadaires éteints sur toute la rue, insécurité la nuit.', landmark: null },
    { id: 'TDEMODSC0001', commune: 'dschang', category: 'reseaux', subcategory: 'fuite-eau', lat: 5.448, lon: 10.055, description: 'Fuite d’eau importante sur la conduite principale.', landmark: 'près du carrefour Total' },
    { id: 'TDEMODSC0002', commune: 'dschang', category: 'foncier', subcategory: null, lat: 5.452, lon: 10.048, description: 'Un hangar construit sur le trottoir bloque le passage.', landmark: 'rue du lycée' },
  ];
  for (const [n, r] of reports.entries()) {
    const location = { lat: r.lat, lon: r.lon, accuracy: 15 };
    const routing = routeReport({ location, category: r.category }, demoReference);
    const data = {
      ticketId: r.id, category: r.category, subcategory: r.subcategory, description: r.description, location, landmark: r.landmark,
      mediaIds: [], reporterId: `CDEMO${n}`, contactSubjectId: null, anonymous: false, confidential: false, channel: 'app', clientTime: null, routing,
    };
    const options = (step: string) => ({ commandId: `seed:${r.id}:${step}`, correlationId: 'seed' });
    await tickets.execute('SubmitReport', data, citizen(`CDEMO${n}`), options('report'));
    if (n % 2 === 0) {
      await tickets.execute('TriageTicket', { ticketId: r.id, priority: n === 0 ? 'high' : 'normal' }, dispatcher(r.commune), options('triage'));
      if (routing.teamId) await tickets.execute('AssignTicket', { ticketId: r.id, teamId: routing.teamId, agentId: null }, dispatcher(r.commune), options('assign'));
    }
  }
}

/**
 * Soa asks where the new market should go (open, results live) and drafts its 2027 participatory
 * budget. Fixed ids and command ids: a second start finds them and appends nothing.
 */
async function seedConsultations(streams: Streams): Promise<void> {
  const dispatcher: Principal = { kind: 'staff', id: 'U-dispatcher-soa', role: 'dispatcher', communes: ['soa'] };
  const text = (fr: string, en: string) => ({ fr, en });
  const now = Date.now();
  const base = {
    communeId: 'soa',
    quartierIds: null,
    mediaIds: [],
    requiredLevel: 'phone',
    adultsOnly: false,
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 14 * 24 * 3_600_000).toISOString(),
  };
  const consultations = [
    {
      id: 'KDEM0SA000001',
      open: true,
      content: {
        ...base,
        title: text('Où installer le nouveau marché ?', 'Where should the new market go?'),
        description: text('Trois sites sont proposés. Le vote est ouvert deux semaines.', 'Three sites are proposed. Voting is open for two weeks.'),
        resultsVisibility: 'live',
        questions: [
          {
            id: 'site',
            kind: 'single',
            text: text('Quel site préférez-vous ?', 'Which site do you prefer?'),
            options: [
              { id: 'gare', label: text('Près de la gare routière', 'Near the bus station'), point: { lat: 3.9802, lon: 11.5978 } },
              { id: 'stade', label: text('Derrière le stade', 'Behind the stadium'), point: { lat: 3.9841, lon: 11.6032 } },
              { id: 'ebogo', label: text('Entrée Ebogo', 'Ebogo entrance'), point: { lat: 3.9718, lon: 11.5921 } },
            ],
          },
        ],
      },
    },
    {
      id: 'KDEM0SA000002',
      open: false,
      content: {
        ...base,
        title: text('Budget participatif 2027', '2027 participatory budget'),
        description: text('Quels projets financer avec 40 millions de FCFA ?', 'Which projects should 40 million FCFA fund?'),
        resultsVisibility: 'at_close',
        questions: [
          {
            id: 'projets',
            kind: 'budget',
            budget: 40_000_000,
            text: text('Choisissez les projets, dans la limite du budget', 'Choose projects, within the budget'),
            options: [
              { id: 'forage', label: text('Forage à Nkolfoulou', 'Borehole in Nkolfoulou'), cost: 12_000_000 },
              { id: 'passerelle', label: text('Passerelle sur la Mefou', 'Footbridge over the Mefou'), cost: 25_000_000 },
              { id: 'eclairage', label: text('Éclairage de la route de l’université', 'Lights on the university road'), cost: 9_000_000 },
              { id: 'hangar', label: text('Hangar du marché', 'Market shed'), cost: 18_000_000 },
            ],
          },
          { id: 'satisfaction', kind: 'scale', text: text('Êtes-vous satisfait des services de la commune ?', 'Are you satisfied with the commune’s services?') },
        ],
      },
    },
  ];
  for (const c of consultations) {
    await streams.execute(consultationDecider, dispatcher, {
      name: 'DraftConsultation',
      id: c.id,
      commandId: `seed:${c.id}:draft`,
      correlationId: 'seed',
      startsStream: true,
      build: (meta) => parseConsultationCommand('DraftConsultation', { ...c.content, consultationId: c.id }, meta) as ConsultationCommand,
      communeOf: () => 'soa',
    });
    if (!c.open) continue;
    await streams.execute(consultationDecider, dispatcher, {
      name: 'OpenConsultation',
      id: c.id,
      commandId: `seed:${c.id}:open`,
      correlationId: 'seed',
      build: (meta) => parseConsultationCommand('OpenConsultation', { consultationId: c.id }, meta) as ConsultationCommand,
      communeOf: () => 'soa',
    });
  }
}

/**
 * Proposals in both communes, supported by a few residents, one under study, one accepted and carried
 * out as a project already under way (stages, progress, budget, a milestone). Fixed ids and command
 * ids: a second start appends nothing.
 */
async function seedParticipation(streams: Streams): Promise<void> {
  const resident = (n: number): Principal => ({ kind: 'citizen', id: `CDEMOP${n}`, role: 'citizen', communes: '*' });
  const dispatcher = (communeId: string): Principal => ({ kind: 'staff', id: `U-dispatcher-${communeId}`, role: 'dispatcher', communes: [communeId] });
  const proposals = proposalDecider((communeId) => proposalPolicyOf(demoReference.communes.find((c) => c.id === communeId)?.proposalPolicy));
  const seeded = [
    {
      id: 'PDEM0DSC00001', author: 1, supporters: 14, category: 'voirie', lat: 5.447, lon: 10.07, costEstimate: 2_500_000,
      title: 'Une passerelle sur le ruisseau à Foto',
      description: 'Les enfants traversent le ruisseau à gué pour aller à l’école ; en saison des pluies c’est dangereux.',
      answer: null,
    },
    {
      id: 'PDEM0DSC00002', author: 2, supporters: 6, category: 'eclairage', lat: 5.451, lon: 10.052, costEstimate: null,
      title: 'Éclairer le marché A la nuit',
      description: 'Les commerçantes rentrent tard et le marché est noir après 19 h ; quelques lampadaires solaires suffiraient.',
      answer: { state: 'under_study', text: { fr: 'Le service technique chiffre quatre lampadaires solaires.', en: 'The technical service is costing four solar street lights.' }, cost: 1_800_000 },
    },
    {
      id: 'PDEM0SA000001', author: 3, supporters: 9, category: 'reseaux', lat: 3.965, lon: 11.615, costEstimate: 4_000_000,
      title: 'Un puits couvert à Ebogo',
      description: 'Le quartier puise l’eau à une source non protégée ; un puits couvert avec pompe éviterait les diarrhées des enfants.',
      answer: { state: 'accepted', text: { fr: 'Accepté : inscrit au budget participatif 2027.', en: 'Accepted: in the 2027 participatory budget.' }, cost: null },
    },
  ];
  for (const p of seeded) {
    const place = placeOf({ lat: p.lat, lon: p.lon }, demoReference.communes)!;
    const communeId = place.commune.id;
    const content = { title: p.title, description: p.description, category: p.category, location: { lat: p.lat, lon: p.lon }, quartierId: place.quartier?.id ?? null, mediaIds: [], costEstimate: p.costEstimate };
    const author = resident(p.author);
    await streams.execute(proposals, author, {
      name: 'SubmitProposal',
      id: p.id,
      commandId: `seed:${p.id}:submit`,
      correlationId: 'seed',
      startsStream: true,
      build: (meta) => parseProposalCommand('SubmitProposal', { ...content, proposalId: p.id, communeId, author: { kind: 'citizen', citizenId: author.id }, level: 'phone' }, meta) as ProposalCommand,
      communeOf: () => communeId,
    });
    const proposal = (await streams.load(proposals, p.id)).state;
    const supports = supportDecider(proposal, proposalPolicyOf(demoReference.communes.find((c) => c.id === communeId)?.proposalPolicy));
    for (let n = 0; n < p.supporters; n++) {
      const supporter = resident(100 + n);
      // Seeded before (supports close once answered): nothing to do.
      if ((await streams.load(supports, supportId(p.id, supporter.id))).state.supporting) continue;
      await streams.execute(supports, supporter, {
        name: 'SupportProposal',
        id: supportId(p.id, supporter.id),
        commandId: `seed:${p.id}:support:${n}`,
        correlationId: 'seed',
        startsStream: true,
        build: (meta) => parseSupportCommand('SupportProposal', { proposalId: p.id, citizenId: supporter.id, level: 'phone' }, meta),
        communeOf: () => communeId,
      });
    }
    if (!p.answer) continue;
    const answer = p.answer;
    await streams.execute(proposals, dispatcher(communeId), {
      name: 'AnswerProposal',
      id: p.id,
      commandId: `seed:${p.id}:answer`,
      correlationId: 'seed',
      build: (meta) => parseProposalCommand('AnswerProposal', { proposalId: p.id, ...answer }, meta) as ProposalCommand,
      communeOf: () => communeId,
    });
  }
  // Soa's accepted well, carried out as a project already under way.
  const projectId = 'JDEM0SA000001';
  const soa = dispatcher('soa');
  const steps: [string, Record<string, unknown>][] = [
    ['CreateProject', { communeId: 'soa', title: 'Puits couvert d’Ebogo', description: 'Puits de 18 m, margelle, couvercle et pompe à motricité humaine.', proposalIds: ['PDEM0SA000001'], programme: defaultProgramme, currency: 'XAF' }],
    ['EnterStage', { stage: 'planned' }],
    ['EnterStage', { stage: 'procured' }],
    ['ReportBudget', { planned: 4_200_000, committed: 3_900_000, spent: 1_350_000, reason: null }],
    ['RecordMilestone', { milestoneId: 'M1', title: 'Entreprise retenue et site implanté', note: 'Trois offres reçues ; la moins-disante retenue par le comité.', reachedOn: '2026-11-20', evidence: [] }],
    ['ReportProgress', { percent: 35 }],
  ];
  for (const [n, [name, data]] of steps.entries()) {
    await streams.execute(projectDecider, soa, {
      name,
      id: projectId,
      commandId: `seed:${projectId}:${n}`,
      correlationId: 'seed',
      ...(n === 0 ? { startsStream: true } : {}),
      build: (meta) => parseProjectCommand(name as ProjectCommand['type'], { projectId, ...data }, meta) as ProjectCommand,
      communeOf: () => 'soa',
    });
  }
}
