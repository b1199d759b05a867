import { describe, expect, it } from 'vitest';
import {
  actors,
  addNote,
  assign,
  at,
  closeTicket,
  confirmReport,
  confirmResolution,
  defaultNow,
  disputeResolution,
  given,
  histories,
  historyOf,
  markDuplicate,
  reject,
  resolve,
  startWork,
  submitReport,
  triage,
} from '../testing/given.js';
import { decide, replay, ticketDecider } from './decider.js';
import { initialState } from './state.js';

describe('SubmitReport', () => {
  it('records the report and where it was routed', () => {
    given([])
      .when(submitReport())
      .then([
        {
          type: 'TicketReported',
          data: {
            ticketId: 'T-1',
            category: 'voirie',
            subcategory: 'nids-de-poule',
            description: 'Un grand nid-de-poule devant le marché',
            location: { lat: 3.9915, lon: 11.5975, accuracy: 8 },
            landmark: 'Devant le marché de Soa',
            mediaIds: [],
            reporterId: 'citizen-1',
            contactSubjectId: null,
            anonymous: false,
            confidential: false,
            channel: 'app',
            clientTime: null,
            about: null,
            reportedAt: defaultNow,
          },
        },
        {
          type: 'TicketRouted',
          data: {
            ticketId: 'T-1',
            communeId: 'soa',
            quartierId: 'soa-centre',
            teamId: 'soa-voirie',
            rule: { boundary: 'commune:soa/quartier:soa-centre', team: 'category:voirie' },
            routedAt: defaultNow,
          },
        },
      ]);
  });

  it('is refused when the ticket already exists', () => {
    given(histories.reported()).when(submitReport()).thenThrows('ticket.already_reported');
  });

  it('lets a field agent file a report for someone without a phone', () => {
    const ticket = given([])
      .when(submitReport({ reporterId: null, channel: 'agent' }, { actor: actors.agent, communeId: 'soa' }))
      .thenTicket();
    expect(ticket).toMatchObject({ status: 'new', reporterId: null, channel: 'agent' });
  });

  it('refuses a citizen reporting in someone else’s name', () => {
    given([]).when(submitReport({ reporterId: 'citizen-9' })).thenThrows('ticket.forbidden');
  });

  it('refuses an auditor, who only reads', () => {
    given([]).when(submitReport({ reporterId: null }, { actor: actors.auditor })).thenThrows('ticket.forbidden');
  });
});

describe('every command on a ticket that does not exist', () => {
  const commands = [
    confirmReport(),
    triage(),
    assign(),
    startWork(),
    addNote(),
    resolve(),
    confirmResolution(),
    disputeResolution(),
    closeTicket(),
    reject(),
    markDuplicate(),
  ];
  it.each(commands.map((c) => [c.type, c] as const))('%s is refused with ticket.not_found', (_type, command) => {
    given([]).when(command).thenThrows('ticket.not_found');
  });
});

describe('ConfirmReport ("me too")', () => {
  it('counts a neighbour who has the same problem', () => {
    given(histories.reported())
      .when(confirmReport())
      .then([{ type: 'TicketConfirmed', data: { ticketId: 'T-1', citizenId: 'citizen-2', confirmedAt: defaultNow } }]);
  });

  it('counts each citizen once: a repeated confirmation changes nothing', () => {
    given(historyOf(submitReport(), confirmReport())).when(confirmReport({}, { now: at(1) })).then([]);
  });

  it('refuses the reporter confirming their own report', () => {
    given(histories.reported())
      .when(confirmReport({ citizenId: 'citizen-1' }, { actor: actors.reporter }))
      .thenThrows('ticket.own_report');
  });

  it('refuses a citizen confirming in someone else’s name', () => {
    given(histories.reported()).when(confirmReport({ citizenId: 'citizen-3' })).thenThrows('ticket.forbidden');
  });

  it.each([
    ['closed', histories.closed, 'ticket.closed'],
    ['rejected', histories.rejected, 'ticket.rejected'],
    ['duplicate', histories.duplicate, 'ticket.duplicate'],
  ] as const)('is refused on a %s ticket', (_status, history, code) => {
    given(history()).when(confirmReport({}, { now: at(6) })).thenThrows(code);
  });

  it('is still accepted while the fix awaits the reporter', () => {
    const ticket = given(histories.resolved()).when(confirmReport({}, { now: at(5) })).thenTicket();
    expect(ticket.confirmations).toEqual(['citizen-2']);
  });
});

describe('TriageTicket', () => {
  it('sets the priority and keeps the category the citizen chose', () => {
    given(histories.reported())
      .when(triage({ priority: 'urgent' }))
      .then([
        {
          type: 'TicketTriaged',
          data: { ticketId: 'T-1', category: 'voirie', subcategory: 'nids-de-poule', priority: 'urgent', triagedAt: defaultNow },
        },
      ]);
  });

  it('corrects the category; the old subcategory no longer applies', () => {
    given(histories.reported())
      .when(triage({ category: 'reseaux', priority: 'high' }))
      .then([{ type: 'TicketTriaged', data: { ticketId: 'T-1', category: 'reseaux', subcategory: null, priority: 'high', triagedAt: defaultNow } }]);
  });

  it('moves a new ticket to triaged and acknowledges it', () => {
    const ticket = given(histories.reported()).when(triage({}, { now: at(1) })).thenTicket();
    expect(ticket).toMatchObject({ status: 'triaged', priority: 'high', triagedAt: at(1), acknowledgedAt: at(1) });
  });

  it('re-triaging an assigned ticket changes its priority but not its status', () => {
    const ticket = given(histories.assigned()).when(triage({ priority: 'urgent' }, { now: at(3) })).thenTicket();
    expect(ticket).toMatchObject({ status: 'assigned', priority: 'urgent' });
  });

  it('changes nothing when the triage is the same', () => {
    given(histories.triaged()).when(triage({}, { now: at(2) })).then([]);
  });

  it('is refused to a citizen', () => {
    given(histories.reported()).when(triage({}, { actor: actors.reporter })).thenThrows('ticket.forbidden');
  });

  it('is refused to a dispatcher of another commune', () => {
    given(histories.reported()).when(triage({}, { communeId: 'dschang' })).thenThrows('ticket.forbidden');
  });

  it('is allowed to national staff, who act for no particular commune', () => {
    given(histories.reported())
      .when(triage({}, { communeId: null }))
      .then([{ type: 'TicketTriaged', data: { ticketId: 'T-1', category: 'voirie', subcategory: 'nids-de-poule', priority: 'high', triagedAt: defaultNow } }]);
  });

  it('is refused once resolved', () => {
    given(histories.resolved()).when(triage({}, { now: at(5) })).thenThrows('ticket.resolved');
  });
});

describe('AssignTicket', () => {
  it('assigns a team and agent the first time, even when routing proposed that team', () => {
    given(histories.triaged())
      .when(assign())
      .then([{ type: 'TicketAssigned', data: { ticketId: 'T-1', teamId: 'soa-voirie', agentId: 'agent-1', assignedAt: defaultNow } }]);
  });

  it('reassigns when the ticket was already assigned, remembering who had it', () => {
    given(histories.assigned())
      .when(assign({ teamId: 'soa-reseaux', agentId: null }, { now: at(3) }))
      .then([
        {
          type: 'TicketReassigned',
          data: {
            ticketId: 'T-1',
            teamId: 'soa-reseaux',
            agentId: null,
            previousTeamId: 'soa-voirie',
            previousAgentId: 'agent-1',
            reassignedAt: at(3),
          },
        },
      ]);
  });

  it('changes nothing when the same team and agent are assigned again', () => {
    given(histories.assigned()).when(assign({}, { now: at(3) })).then([]);
  });

  it('puts a ticket in progress back to assigned when another agent takes over', () => {
    const ticket = given(histories.inProgress()).when(assign({ agentId: 'agent-2' }, { now: at(4) })).thenTicket();
    expect(ticket).toMatchObject({ status: 'assigned', agentId: 'agent-2', teamId: 'soa-voirie' });
  });

  it('is refused to a field agent', () => {
    given(histories.triaged()).when(assign({}, { actor: actors.agent })).thenThrows('ticket.forbidden');
  });

  it.each([
    ['closed', histories.closed, 'ticket.closed'],
    ['rejected', histories.rejected, 'ticket.rejected'],
    ['duplicate', histories.duplicate, 'ticket.duplicate'],
    ['resolved', histories.resolved, 'ticket.resolved'],
  ] as const)('is refused on a %s ticket', (_status, history, code) => {
    given(history()).when(assign({}, { now: at(6) })).thenThrows(code);
  });
});

describe('StartWork', () => {
  it('starts work under the agent who starts it', () => {
    given(histories.assigned())
      .when(startWork({}, { now: at(3) }))
      .then([{ type: 'TicketWorkStarted', data: { ticketId: 'T-1', agentId: 'agent-1', startedAt: at(3) } }]);
  });

  it('needs an assignment first', () => {
    given(histories.triaged()).when(startWork()).thenThrows('ticket.not_assigned');
  });

  it('changes nothing when work already started', () => {
    given(histories.inProgress()).when(startWork({}, { now: at(4) })).then([]);
  });

  it('restarts work on a reopened ticket', () => {
    const ticket = given(histories.reopened()).when(startWork({}, { now: at(6) })).thenTicket();
    expect(ticket).toMatchObject({ status: 'in_progress', workStartedAt: at(3) });
  });
});

describe('AddNote', () => {
  it('adds a public staff note, which acknowledges the report', () => {
    given(histories.reported())
      .when(addNote())
      .then([
        {
          type: 'TicketNoteAdded',
          data: { ticketId: 'T-1', noteId: 'note-1', text: 'Équipe prévue jeudi matin', visibility: 'public', author: 'staff', addedAt: defaultNow },
        },
      ]);
    expect(given(histories.reported()).when(addNote()).thenTicket().acknowledgedAt).toBe(defaultNow);
  });

  it('does not count an internal note as acknowledgement', () => {
    const ticket = given(histories.reported()).when(addNote({ visibility: 'internal' })).thenTicket();
    expect(ticket.acknowledgedAt).toBeNull();
  });

  it('keeps internal notes for staff', () => {
    given(histories.reported()).when(addNote({ visibility: 'internal' }, { actor: actors.reporter })).thenThrows('ticket.forbidden');
  });

  it('lets the reporter comment publicly, without that counting as acknowledgement', () => {
    const ticket = given(histories.reported()).when(addNote({ text: 'Photo ajoutée' }, { actor: actors.reporter })).thenTicket();
    expect(ticket).toMatchObject({ acknowledgedAt: null, noteIds: ['note-1'] });
  });

  it('refuses a comment from a citizen unconcerned by the problem', () => {
    given(histories.reported()).when(addNote({}, { actor: { id: 'citizen-7', role: 'citizen' } })).thenThrows('ticket.forbidden');
  });

  it('accepts a public note on a closed ticket', () => {
    given(histories.closed())
      .when(addNote({ text: 'Merci pour votre signalement' }, { now: at(6) }))
      .then([
        {
          type: 'TicketNoteAdded',
          data: { ticketId: 'T-1', noteId: 'note-1', text: 'Merci pour votre signalement', visibility: 'public', author: 'staff', addedAt: at(6) },
        },
      ]);
  });

  it('ignores a retried note with the same id', () => {
    given(historyOf(submitReport(), addNote())).when(addNote({}, { now: at(1) })).then([]);
  });
});

describe('ResolveTicket', () => {
  it('records the fix with its proof', () => {
    given(histories.inProgress())
      .when(resolve({}, { now: at(4) }))
      .then([{ type: 'TicketResolved', data: { ticketId: 'T-1', note: 'Nid-de-poule rebouché', mediaIds: ['media-after-1'], resolvedAt: at(4) } }]);
  });

  it('accepts an assigned ticket fixed without a separate start', () => {
    expect(given(histories.assigned()).when(resolve({}, { now: at(3) })).thenTicket().status).toBe('resolved');
  });

  it('needs an assignment', () => {
    given(histories.triaged()).when(resolve()).thenThrows('ticket.not_assigned');
  });

  it('is refused when already resolved', () => {
    given(histories.resolved()).when(resolve({}, { now: at(5) })).thenThrows('ticket.resolved');
  });

  it('is refused to a citizen', () => {
    given(histories.inProgress()).when(resolve({}, { actor: actors.reporter })).thenThrows('ticket.forbidden');
  });
});

describe('ConfirmResolution', () => {
  it('closes the ticket when the reporter agrees it is fixed', () => {
    given(histories.resolved())
      .when(confirmResolution({ note: 'Merci !' }, { now: at(5) }))
      .then([
        { type: 'TicketResolutionConfirmed', data: { ticketId: 'T-1', note: 'Merci !', confirmedAt: at(5) } },
        { type: 'TicketClosed', data: { ticketId: 'T-1', note: null, closedAt: at(5) } },
      ]);
  });

  it('belongs to the reporter alone', () => {
    given(histories.resolved()).when(confirmResolution({}, { actor: actors.neighbour, now: at(5) })).thenThrows('ticket.not_reporter');
    given(histories.resolved()).when(confirmResolution({}, { actor: actors.dispatcher, now: at(5) })).thenThrows('ticket.not_reporter');
  });

  it('needs a resolved ticket', () => {
    given(histories.inProgress()).when(confirmResolution()).thenThrows('ticket.not_resolved');
  });

  it('is refused once closed', () => {
    given(histories.closed()).when(confirmResolution({}, { now: at(6) })).thenThrows('ticket.closed');
  });
});

describe('DisputeResolution', () => {
  it('reopens the ticket for the same team', () => {
    const outcome = given(histories.resolved()).when(disputeResolution({}, { now: at(5) }));
    outcome.then([{ type: 'TicketResolutionDisputed', data: { ticketId: 'T-1', note: 'Le trou est toujours là', disputedAt: at(5) } }]);
    expect(outcome.thenTicket()).toMatchObject({ status: 'reopened', teamId: 'soa-voirie', agentId: 'agent-1', resolvedAt: null, disputeCount: 1 });
  });

  it('is accepted on the last day of the dispute window', () => {
    const lastMoment = at(4 + 14 * 24);
    expect(given(histories.resolved()).when(disputeResolution({}, { now: lastMoment })).thenTicket().status).toBe('reopened');
  });

  it('is refused after the dispute window', () => {
    given(histories.resolved())
      .when(disputeResolution({}, { now: at(4 + 14 * 24 + 1) }))
      .thenThrows('ticket.dispute_window_closed');
  });

  it('follows the commune’s own window', () => {
    given(histories.resolved(), { disputeWindowDays: 3 }).when(disputeResolution({}, { now: at(4 + 4 * 24) })).thenThrows('ticket.dispute_window_closed');
  });

  it('belongs to the reporter alone', () => {
    given(histories.resolved()).when(disputeResolution({}, { actor: actors.neighbour, now: at(5) })).thenThrows('ticket.not_reporter');
  });

  it('needs a resolved ticket', () => {
    given(histories.inProgress()).when(disputeResolution()).thenThrows('ticket.not_resolved');
  });

  it('counts every dispute', () => {
    const history = historyOf(
      submitReport(),
      assign({}, { now: at(1) }),
      resolve({}, { now: at(2) }),
      disputeResolution({}, { now: at(3) }),
      resolve({ note: 'Rebouché à nouveau' }, { now: at(4) }),
    );
    expect(given(history).when(disputeResolution({}, { now: at(5) })).thenTicket().disputeCount).toBe(2);
  });
});

describe('CloseTicket', () => {
  it('lets staff close a resolved ticket the reporter did not answer', () => {
    given(histories.resolved())
      .when(closeTicket({ note: 'Sans réponse du déclarant' }, { now: at(400), actor: actors.system, communeId: null }))
      .then([{ type: 'TicketClosed', data: { ticketId: 'T-1', note: 'Sans réponse du déclarant', closedAt: at(400) } }]);
  });

  it('needs a resolved ticket', () => {
    given(histories.inProgress()).when(closeTicket()).thenThrows('ticket.not_resolved');
  });

  it('is refused to a citizen', () => {
    given(histories.resolved()).when(closeTicket({}, { actor: actors.reporter })).thenThrows('ticket.forbidden');
  });

  it('is refused once closed', () => {
    given(histories.closed()).when(closeTicket({}, { now: at(6) })).thenThrows('ticket.closed');
  });
});

describe('RejectTicket', () => {
  it('rejects with a reason, which acknowledges the report', () => {
    const outcome = given(histories.reported()).when(reject({}, { now: at(1) }));
    outcome.then([
      { type: 'TicketRejected', data: { ticketId: 'T-1', reason: 'out_of_scope', note: 'Route nationale : relève du ministère', rejectedAt: at(1) } },
    ]);
    expect(outcome.thenTicket()).toMatchObject({ status: 'rejected', acknowledgedAt: at(1) });
  });

  it.each([
    ['resolved', histories.resolved, 'ticket.resolved'],
    ['closed', histories.closed, 'ticket.closed'],
    ['rejected', histories.rejected, 'ticket.rejected'],
    ['duplicate', histories.duplicate, 'ticket.duplicate'],
  ] as const)('is refused on a %s ticket', (_status, history, code) => {
    given(history()).when(reject({}, { now: at(6) })).thenThrows(code);
  });

  it('is refused to a field agent', () => {
    given(histories.inProgress()).when(reject({}, { actor: actors.agent })).thenThrows('ticket.forbidden');
  });
});

describe('MarkDuplicate', () => {
  it('points to the original ticket', () => {
    const outcome = given(histories.reported()).when(markDuplicate({ duplicateOf: 'T-0' }));
    outcome.then([{ type: 'TicketMarkedDuplicate', data: { ticketId: 'T-1', duplicateOf: 'T-0', markedAt: defaultNow } }]);
    expect(outcome.thenTicket()).toMatchObject({ status: 'duplicate', duplicateOf: 'T-0' });
  });

  it('refuses a ticket as its own duplicate', () => {
    given(histories.reported()).when(markDuplicate({ duplicateOf: 'T-1' })).thenThrows('ticket.duplicate_of_itself');
  });

  it('is refused once the ticket is finished', () => {
    given(histories.closed()).when(markDuplicate({}, { now: at(6) })).thenThrows('ticket.closed');
  });
});

describe('auditors', () => {
  it.each([triage(), assign(), addNote({ visibility: 'internal' }), reject(), closeTicket()].map((c) => [c.type, c] as const))(
    'may read but not %s',
    (_type, command) => {
      given(histories.reported()).when({ ...command, meta: { ...command.meta, actor: actors.auditor } }).thenThrows('ticket.forbidden');
    },
  );
});

describe('the ticket folded from its events', () => {
  it('holds everything a read model needs after a full life', () => {
    const ticket = replay(historyOf(submitReport(), confirmReport({}, { now: at(0.5) }), triage({}, { now: at(1) }), assign({}, { now: at(2) }), startWork({}, { now: at(3) }), resolve({}, { now: at(4) }), confirmResolution({}, { now: at(5) })));
    expect(ticket).toMatchObject({
      status: 'closed',
      ticketId: 'T-1',
      communeId: 'soa',
      quartierId: 'soa-centre',
      category: 'voirie',
      priority: 'high',
      teamId: 'soa-voirie',
      agentId: 'agent-1',
      confirmations: ['citizen-2'],
      reportedAt: defaultNow,
      acknowledgedAt: at(1),
      resolvedAt: at(4),
      closedAt: at(5),
      resolution: { note: 'Nid-de-poule rebouché', mediaIds: ['media-after-1'] },
      routingRule: { boundary: 'commune:soa/quartier:soa-centre', team: 'category:voirie' },
      updatedAt: at(5),
    });
  });

  it('never mutates the ticket it is given', () => {
    const before = replay(histories.assigned());
    const frozen = structuredClone(before);
    ticketDecider.evolve(before, { type: 'TicketWorkStarted', data: { ticketId: 'T-1', agentId: 'agent-1', startedAt: at(3) } });
    expect(before).toEqual(frozen);
  });

  it('starts from a ticket that does not exist yet', () => {
    expect(ticketDecider.initialState()).toEqual(initialState());
    expect(initialState()).toMatchObject({ status: 'none', priority: 'normal', confirmations: [], disputeCount: 0 });
    expect(() => decide(triage(), initialState())).toThrow(/no ticket T-1/);
  });
});
