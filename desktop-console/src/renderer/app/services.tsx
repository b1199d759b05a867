import { type ReactNode, createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ApiClient, type SessionState } from '../api/client.js';
import { TicketsApi } from '../api/tickets.js';
import type { AgentInfo, CategoryInfo, CommuneInfo, ServerConfig, SessionUser, TeamInfo } from '../api/types.js';
import { LiveUpdates, type LiveStatus } from '../live/live-updates.js';
import { type ConsoleOutbox, createConsoleOutbox } from '../outbox/console-outbox.js';

export interface Services {
  readonly api: ApiClient;
  readonly tickets: TicketsApi;
  readonly live: LiveUpdates;
  /** What the agent recorded at a polling table, kept on this PC until the API has it. */
  readonly outbox: ConsoleOutbox;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ children, baseUrl = '' }: { children: ReactNode; baseUrl?: string }) {
  const services = useMemo<Services>(() => {
    const api = new ApiClient(baseUrl);
    return { api, tickets: new TicketsApi(api), live: new LiveUpdates(api, baseUrl || location.origin), outbox: createConsoleOutbox(api) };
  }, [baseUrl]);
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}

export function useSessionState(): SessionState {
  const { api } = useServices();
  return useSyncExternalStore(
    (onChange) => api.subscribe(onChange),
    () => api.state,
  );
}

export function useLiveStatus(): LiveStatus {
  const { live } = useServices();
  return useSyncExternalStore(
    (onChange) => live.listen({ status: onChange }),
    () => live.status,
  );
}

/** What the console needs to name things: communes, categories, the commune's teams and agents. */
export interface Reference {
  readonly communes: readonly CommuneInfo[];
  readonly categories: readonly CategoryInfo[];
  readonly teams: readonly TeamInfo[];
  readonly agents: readonly AgentInfo[];
  readonly config: ServerConfig;
}

export type ReferenceState = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly reference: Reference } | { readonly kind: 'failed'; readonly error: unknown };

/** The communes a staff member works in, as the server lists them. */
export function communesOf(user: SessionUser, all: readonly CommuneInfo[]): readonly CommuneInfo[] {
  return user.communes === '*' ? all : all.filter((c) => user.communes.includes(c.id));
}

export function useReference(communeId: string | null, attempt: number): ReferenceState {
  const { api } = useServices();
  const [state, setState] = useState<ReferenceState>({ kind: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    const staffList = <T,>(path: string) => (communeId ? api.get<T[]>(`${path}?communeId=${encodeURIComponent(communeId)}`, signal) : Promise.resolve([] as T[]));
    Promise.all([
      api.get<CommuneInfo[]>('/api/communes', signal),
      api.get<CategoryInfo[]>('/api/categories', signal),
      staffList<TeamInfo>('/api/teams'),
      staffList<AgentInfo>('/api/agents').catch(() => [] as AgentInfo[]),
      // An older server without /api/config simply means the local map style.
      api.get<ServerConfig>('/api/config', signal).catch(() => ({ mapStyleUrl: null })),
    ]).then(
      ([communes, categories, teams, agents, config]) => setState({ kind: 'ready', reference: { communes, categories, teams, agents, config } }),
      (error: unknown) => {
        if (!signal.aborted) setState({ kind: 'failed', error });
      },
    );
    return () => abort.abort();
  }, [api, communeId, attempt]);
  return state;
}
