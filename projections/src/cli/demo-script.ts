import { type Actor, type CommandMeta, type TicketCommand, type TicketCommandType, demoReference, parseTicketCommand, routeReport } from '@palabre/domain';

/** The demo's people: citizens by device id, staff of each commune. */
const people = {
  awono: { id: 'citizen-awono', role: 'citizen' },
  mbarga: { id: 'citizen-mbarga', role: 'citizen' },
  ngono: { id: 'citizen-ngono', role: 'citizen' },
  tchinda: { id: 'citizen-tchinda', role: 'citizen' },
  fotso: { id: 'citizen-fotso', role: 'citizen' },
  kamga: { id: 'citizen-kamga', role: 'citizen' },
  dispatcherSoa: { id: 'dispatcher-soa-essomba', role: 'dispatcher' },
  agentSoa: { id: 'agent-soa-ondoa', role: 'field_agent' },
  dispatcherDschang: { id: 'dispatcher-dschang-nguimfack', role: 'dispatcher' },
  agentDschang: { id: 'agent-dschang-tsafack', role: 'field_agent' },
} as const satisfies Record<string, Actor>;

interface Report {
  ticketId: string;
  reporter: Actor;
  category: string;
  subcategory: string;
  description: string;
  landmark: string | null;
  lat: number;
  lon: number;
  channel: 'app' | 'web' | 'sms';
  at: string;
}

const reports: Report[] = [
  {
    ticketId: 'demo-soa-0001',
    reporter: people.awono,
    category: 'salubrite',
    subcategory: 'bacs-pleins',
    description: 'Le bac à ordures du marché déborde depuis trois jours, les déchets bloquent le passage.',
    landmark: 'Marché de Soa, côté gare routière',
    lat: 3.995,
    lon: 11.6,
    channel: 'app',
    at: '2026-11-20T07:42:00.000+01:00',
  },
  {
    ticketId: 'demo-soa-0002',
    reporter: people.mbarga,
    category: 'voirie',
    subcategory: 'nids-de-poule',
    description: "Gros nids-de-poule sur la route de l'université, les motos tombent la nuit.",
    landmark: 'Entrée du campus, carrefour Nkolfoulou',
    lat: 3.962,
    lon: 11.585,
    channel: 'web',
    at: '2026-11-20T09:15:00.000+01:00',
  },
  {
    ticketId: 'demo-soa-0003',
    reporter: people.ngono,
    category: 'eclairage',
    subcategory: 'lampadaire-en-panne',
    description: 'Trois lampadaires éteints le long de la rue, la zone est dangereuse après 19h.',
    landmark: "Près de l'école publique d'Ebogo",
    lat: 3.97,
    lon: 11.615,
    channel: 'sms',
    at: '2026-11-21T19:30:00.000+01:00',
  },
  {
    ticketId: 'demo-dschang-0001',
    reporter: people.tchinda,
    category: 'reseaux',
    subcategory: 'fuite-eau',
    description: "Fuite d'eau sur la conduite principale, l'eau coule sur la chaussée depuis hier.",
    landmark: 'Centre-ville, derrière la pharmacie du marché',
    lat: 5.46,
    lon: 10.05,
    channel: 'app',
    at: '2026-11-20T06:50:00.000+01:00',
  },
  {
    ticketId: 'demo-dschang-0002',
    reporter: people.fotso,
    category: 'salubrite',
    subcategory: 'depots-sauvages',
    description: 'Dépôt sauvage de déchets au bord du ruisseau, ça sent très mauvais.',
    landmark: 'Foto, descente vers le pont',
    lat: 5.43,
    lon: 10.07,
    channel: 'app',
    at: '2026-11-21T11:05:00.000+01:00',
  },
  {
    ticketId: 'demo-dschang-0003',
    reporter: people.kamga,
    category: 'foncier',
    subcategory: 'occupation-illegale',
    description: 'Des étals sont installés sur le trottoir, les piétons marchent sur la route.',
    landmark: 'Rue du lycée classique',
    lat: 5.45,
    lon: 10.045,
    channel: 'web',
    at: '2026-11-22T08:20:00.000+01:00',
  },
];

type Step = { type: TicketCommandType; ticketId: string; actor: Actor; at: string; data?: Record<string, unknown> };

/** What happened next, as dispatchers, agents and citizens did it. */
const lifecycle: Step[] = [
  { type: 'ConfirmReport', ticketId: 'demo-soa-0001', actor: people.mbarga, at: '2026-11-20T10:02:00.000+01:00', data: { citizenId: people.mbarga.id } },
  { type: 'ConfirmReport', ticketId: 'demo-soa-0001', actor: people.ngono, at: '2026-11-20T12:40:00.000+01:00', data: { citizenId: people.ngono.id } },
  { type: 'TriageTicket', ticketId: 'demo-soa-0001', actor: people.dispatcherSoa, at: '2026-11-20T08:30:00.000+01:00', data: { priority: 'high' } },
  { type: 'AssignTicket', ticketId: 'demo-soa-0001', actor: people.dispatcherSoa, at: '2026-11-20T08:35:00.000+01:00', data: { teamId: 'soa-salubrite', agentId: people.agentSoa.id } },
  { type: 'StartWork', ticketId: 'demo-soa-0001', actor: people.agentSoa, at: '2026-11-20T14:10:00.000+01:00' },
  { type: 'TriageTicket', ticketId: 'demo-soa-0002', actor: people.dispatcherSoa, at: '2026-11-20T10:00:00.000+01:00', data: { priority: 'normal' } },
  {
    type: 'AddNote',
    ticketId: 'demo-soa-0002',
    actor: people.dispatcherSoa,
    at: '2026-11-20T10:05:00.000+01:00',
    data: { noteId: 'demo-soa-0002-note-1', text: 'Voir avec les travaux publics : la route est peut-être nationale.', visibility: 'internal' },
  },
  { type: 'ConfirmReport', ticketId: 'demo-dschang-0001', actor: people.fotso, at: '2026-11-20T07:30:00.000+01:00', data: { citizenId: people.fotso.id } },
  { type: 'TriageTicket', ticketId: 'demo-dschang-0001', actor: people.dispatcherDschang, at: '2026-11-20T07:45:00.000+01:00', data: { priority: 'urgent' } },
  { type: 'AssignTicket', ticketId: 'demo-dschang-0001', actor: people.dispatcherDschang, at: '2026-11-20T07:50:00.000+01:00', data: { teamId: 'dschang-reseaux', agentId: people.agentDschang.id } },
  { type: 'StartWork', ticketId: 'demo-dschang-0001', actor: people.agentDschang, at: '2026-11-20T09:00:00.000+01:00' },
  {
    type: 'ResolveTicket',
    ticketId: 'demo-dschang-0001',
    actor: people.agentDschang,
    at: '2026-11-20T16:20:00.000+01:00',
    data: { note: 'Joint de la conduite remplacé, chaussée nettoyée.' },
  },
  { type: 'ConfirmResolution', ticketId: 'demo-dschang-0001', actor: people.tchinda, at: '2026-11-21T08:00:00.000+01:00', data: { note: 'Merci, ça ne coule plus.' } },
  { type: 'TriageTicket', ticketId: 'demo-dschang-0002', actor: people.dispatcherDschang, at: '2026-11-21T13:00:00.000+01:00', data: { priority: 'normal' } },
  {
    type: 'RejectTicket',
    ticketId: 'demo-dschang-0003',
    actor: people.dispatcherDschang,
    at: '2026-11-22T10:00:00.000+01:00',
    data: { reason: 'out_of_scope', note: "Relève de la sous-préfecture : transmis au service de l'État." },
  },
];

const communeOf = (ticketId: string) => (ticketId.startsWith('demo-soa') ? 'soa' : 'dschang');

const meta = (commandId: string, actor: Actor, at: string, communeId: string): CommandMeta => ({
  commandId,
  now: new Date(at).toISOString(),
  actor,
  communeId: actor.role === 'citizen' ? null : communeId,
});

/**
 * The demo's commands in the order they happened. Command ids are fixed, so a second run
 * recognises every command as already done and appends nothing.
 */
export function demoCommands(): TicketCommand[] {
  const submits = reports.map((r) => {
    const location = { lat: r.lat, lon: r.lon, accuracy: 12 };
    const routing = routeReport({ location, category: r.category }, demoReference);
    return {
      at: r.at,
      command: parseTicketCommand(
        'SubmitReport',
        {
          ticketId: r.ticketId,
          category: r.category,
          subcategory: r.subcategory,
          description: r.description,
          location,
          landmark: r.landmark,
          reporterId: r.reporter.id,
          channel: r.channel,
          routing,
        },
        meta(`demo:${r.ticketId}:submit`, r.reporter, r.at, routing.communeId),
      ) as TicketCommand,
    };
  });
  const steps = lifecycle.map((s, i) => ({
    at: s.at,
    command: parseTicketCommand(s.type, { ticketId: s.ticketId, ...s.data }, meta(`demo:${s.ticketId}:${i}`, s.actor, s.at, communeOf(s.ticketId))) as TicketCommand,
  }));
  return [...submits, ...steps].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).map((s) => s.command);
}
