import { ApiClient } from '../api/client.ts';
import { apiOrigin } from '../api/origin.ts';
import { ApiError } from '../api/errors.ts';
import { randomId } from '../api/random-id.ts';
import { CitizenSession } from '../api/session.ts';
import { translate } from '../i18n/format.ts';
import type { Language } from '../i18n/messages.ts';
import type { ProposalView } from '../api/types.ts';
import { LiveUpdates } from '../live/live.ts';
import { showNotification, showSystemNotification } from '../live/notify.ts';
import { ProposalMemory } from '../proposals/memory.ts';
import { IndexedDbOutboxStore, Outbox } from '@palabre/outbox';
import { type AppOutbox, type AppRequest, apiTransport, classifyFailure, upgradeEntry } from '../outbox/api-transport.ts';
import { ReferenceData } from '../reference/reference.ts';
import { TicketStore } from '../tickets/store.ts';
import { Notices } from './notices.ts';

export interface Services {
  api: ApiClient;
  session: CitizenSession;
  outbox: AppOutbox;
  tickets: TicketStore;
  live: LiveUpdates;
  reference: ReferenceData;
  notices: Notices;
  proposals: ProposalMemory;
  /** Fetches the person's reports again (after a send, on pull, on reconnect). */
  refreshMine(): Promise<void>;
  /** Every view of a proposal the person sees: a new answer of the commune is told (notice and notification). */
  noteProposal(view: ProposalView): void;
  /** Follows a proposal off its page too (the person's own, or one they support), for news of its answer. */
  watchProposal(id: string): void;
}


/** Lets only one tab drain the outbox at a time where the browser has Web Locks. */
function exclusive<T>(task: () => Promise<T>): Promise<T | undefined> {
  if (!('locks' in navigator)) return task();
  return navigator.locks.request('palabre-outbox', { ifAvailable: true }, (lock) => (lock ? task() : undefined));
}

/** Retries a read that may run ahead of the API's projections (404 or no answer), then gives up. */
async function eventually<T>(read: () => Promise<T>, delaysMs: readonly number[]): Promise<T> {
  for (const delay of delaysMs) {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ApiError && error.status !== 404) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return read();
}

export async function createServices(language: () => Language): Promise<Services> {
  const session = new CitizenSession(apiOrigin, localStorage);
  const api = new ApiClient(apiOrigin, session);
  const tickets = new TicketStore(localStorage);
  const live = new LiveUpdates(apiOrigin, session, tickets);
  const reference = new ReferenceData(api);
  const notices = new Notices();
  const proposals = new ProposalMemory(localStorage);
  const outbox: AppOutbox = new Outbox({
    store: await IndexedDbOutboxStore.open<AppRequest>({ name: 'palabre', upgradeEntry }),
    transport: apiTransport(api),
    classify: classifyFailure,
    isOnline: () => navigator.onLine,
    newKey: () => `r-${randomId()}`,
    exclusive,
  });

  const refreshMine = async () => {
    const mine = await api.myTickets();
    tickets.setMine(mine);
    live.follow(mine.map((t) => t.id));
  };

  const noteProposal = (view: ProposalView) => {
    if (!proposals.answerNews(view)) return;
    const link = `/proposals/${view.id}`;
    notices.push({ key: 'notify.proposalAnswered', params: { title: view.title }, tone: 'info', link });
    const text = view.answer?.text[language()] ?? Object.values(view.answer?.text ?? {})[0] ?? '';
    void showNotification(`proposal-${view.id}`, translate(language(), 'notify.proposalAnswered', { title: view.title }), text.slice(0, 120), `${import.meta.env.BASE_URL}proposals/${view.id}`).catch(() => undefined);
  };
  const watched = new Set<string>();
  const watchProposal = (id: string) => {
    if (watched.has(id)) return;
    watched.add(id);
    // Once joined (and at each reconnection), a read catches up on an answer given while the phone was off.
    live.followParticipation('proposal', id, noteProposal, (following) => {
      if (following) void api.request<ProposalView>('GET', `/api/proposals/${encodeURIComponent(id)}`, { cache: 'no-store' }).then(noteProposal, () => undefined);
    });
  };

  outbox.subscribe((event) => {
    if (event.type !== 'sent') return;
    if (event.request.kind === 'proposal') {
      proposals.wrote(event.answer.id);
      // Seen unanswered: the commune's answer, when it comes, is news.
      proposals.answerNews({ id: event.answer.id, answer: null });
      watchProposal(event.answer.id);
      notices.push({ key: 'notify.proposalSent', params: { title: event.request.proposal.title }, tone: 'success', link: `/proposals/${event.answer.id}` });
      return;
    }
    const ticketId = event.answer.id;
    live.follow([ticketId]);
    // The API answers before its read model shows the ticket: ask again shortly after a 404.
    void eventually(() => api.ticket(ticketId), [300, 1_000, 3_000])
      .then((ticket) => {
        tickets.upsert(ticket, { mine: true });
        notices.push({ key: 'report.sent', params: { reference: ticket.reference }, tone: 'success', link: `/reports/${ticket.id}` });
      })
      .catch(() => refreshMine().catch(() => undefined));
  });

  tickets.onStatusChange((change) => {
    const status = translate(language(), `status.${change.ticket.status}`);
    const link = `/reports/${change.ticket.id}`;
    notices.push({ key: 'notify.statusChanged', params: { reference: change.ticket.reference, status }, tone: 'info', link });
    const title = translate(language(), 'notify.statusChanged', { reference: change.ticket.reference, status });
    void showSystemNotification(change, title, change.ticket.description.slice(0, 120), `${import.meta.env.BASE_URL}reports/${change.ticket.id}`).catch(() => undefined);
  });

  // The signal came back: send now rather than at the next backoff step, and catch up on news.
  window.addEventListener('online', () => {
    void outbox.drain({ force: true });
    void refreshMine().catch(() => undefined);
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void outbox.drain();
  });
  // Ask the browser not to evict reports waiting in IndexedDB when storage runs low.
  void navigator.storage?.persist?.().catch(() => false);

  return { api, session, outbox, tickets, live, reference, notices, proposals, refreshMine, noteProposal, watchProposal };
}
