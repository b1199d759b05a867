import { defaultProposalPolicy, isOrganiserRole } from '@palabre/domain';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SessionUser } from '../api/types.js';
import { CategoryFilter, FilterSelect, QuartierFilter } from '../app/filters.js';
import { communesOf, type Reference, useServices } from '../app/services.js';
import { RetryLine } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import { ProjectForm } from '../projects/ProjectForm.js';
import { ProjectList } from '../projects/ProjectList.js';
import { ProjectPanel } from '../projects/ProjectPanel.js';
import { ProjectsApi, type ProjectSummary } from '../projects/projects-api.js';
import { namesFor } from '../tickets/names.js';
import { ProposalGrid } from './ProposalGrid.js';
import { ProposalPanel } from './ProposalPanel.js';
import { answerStatesOf, type ProposalQuery, ProposalsApi, type ProposalView, proposalListLimit } from './proposals-api.js';
import { proposalStateLabel, proposalStates } from './states.js';

type Tab = 'proposals' | 'moderation' | 'projects';
type Side = { kind: 'none' } | { kind: 'proposal'; id: string } | { kind: 'new-project'; proposals: readonly ProposalView[] } | { kind: 'project'; id: string };
type Filter = Omit<ProposalQuery, 'communeId'>;

const emptyFilter: Filter = { state: null, category: null, quartierId: null, sort: 'most_supported' };
const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Proposals and projects for the commune's staff: the residents' proposals (filtered, most supported
 * or newest first), the moderation queue (proposals hidden by flags or by a moderator), the projects
 * that carry accepted proposals out; beside them, the one open.
 */
export default function ProposalsView({ communeId, reference, user, map }: { communeId: string; reference: Reference; user: SessionUser; map: { styleUrl: string | null; token: string } }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { api } = useServices();
  const proposalsApi = useMemo(() => new ProposalsApi(api), [api]);
  const projectsApi = useMemo(() => new ProjectsApi(api), [api]);
  const names = useMemo(() => namesFor(reference, i18n), [reference, i18n]);
  const commune = reference.communes.find((c) => c.id === communeId);
  const answerStates = answerStatesOf(commune);
  const [tab, setTab] = useState<Tab>('proposals');
  const [side, setSide] = useState<Side>({ kind: 'none' });
  const [filter, setFilter] = useState<Filter>(emptyFilter);
  const [proposals, setProposals] = useState<readonly ProposalView[] | null>(null);
  const [queue, setQueue] = useState<readonly ProposalView[] | null>(null);
  const [projects, setProjects] = useState<readonly ProjectSummary[] | null>(null);
  const [selected, setSelected] = useState<readonly ProposalView[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    const failed = (e: unknown) => !abort.signal.aborted && setProblem(i18n.problem(e));
    setProblem(null);
    proposalsApi.list({ communeId, ...filter }, abort.signal).then(setProposals, failed);
    proposalsApi.list({ communeId, state: 'hidden', category: null, quartierId: null, sort: 'newest' }, abort.signal).then(setQueue, failed);
    projectsApi.list(communeId, abort.signal).then(setProjects, failed);
    return () => abort.abort();
  }, [proposalsApi, projectsApi, communeId, filter, version, i18n]);

  // What the open proposal or project shows now, the lists show too; a change of state may move it between lists.
  const proposalChanged = useCallback(
    (changed: ProposalView) => {
      const listed = [...(proposals ?? []), ...(queue ?? [])].find((p) => p.id === changed.id);
      if (!listed || (listed.revision === changed.revision && listed.supports === changed.supports)) return;
      if (listed.state !== changed.state) refresh();
      else {
        const patch = (rows: readonly ProposalView[] | null) => rows?.map((p) => (p.id === changed.id ? { ...p, ...changed } : p)) ?? null;
        setProposals(patch);
        setQueue(patch);
      }
    },
    [proposals, queue, refresh],
  );
  const projectChanged = useCallback(
    (changed: ProjectSummary) => {
      const listed = projects?.find((p) => p.id === changed.id);
      if (projects && !listed) refresh();
      else if (listed && listed.revision !== changed.revision) setProjects((rows) => rows?.map((p) => (p.id === changed.id ? { ...p, ...changed } : p)) ?? null);
    },
    [projects, refresh],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !isTyping(e.target) && !document.querySelector('.lightbox')) setSide({ kind: 'none' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const showTab = (next: Tab) => {
    setTab(next);
    setSide({ kind: 'none' });
  };
  const set = (patch: Partial<Filter>) => setFilter((f) => ({ ...f, ...patch }));
  const mine = communesOf(user, reference.communes);
  // Commune staff answer, moderate and run projects; field agents and auditors read (agents report on projects).
  const organiser = isOrganiserRole(user.role);
  if (!commune) return null;

  return (
    <div className="participation-view" data-testid="participation-view">
      <div className="filter-bar participation-tabs" role="tablist" aria-label={t('nav.proposals')}>
        {(['proposals', 'moderation', 'projects'] as const).map((tb) => (
          <button key={tb} type="button" role="tab" aria-selected={tab === tb} className={tab === tb ? 'active' : ''} onClick={() => showTab(tb)} data-testid={`tab-${tb}`}>
            {tb === 'moderation' ? t('moderation.tab', { count: queue?.length ?? '…' }) : t(`participation.tab.${tb}`)}
          </button>
        ))}
        {tab === 'proposals' && (
          <>
            <FilterSelect
              label={t('filter.status')}
              all={t('filter.allStatuses')}
              value={filter.state}
              onChange={(state) => set({ state })}
              options={proposalStates(answerStates).map((s) => ({ value: s, label: proposalStateLabel(s, answerStates, i18n) }))}
            />
            <CategoryFilter categories={reference.categories} value={filter.category} onChange={(category) => set({ category })} />
            <QuartierFilter commune={commune} value={filter.quartierId} onChange={(quartierId) => set({ quartierId })} />
            <select aria-label={t('proposals.sort')} value={filter.sort} onChange={(e) => set({ sort: e.target.value as Filter['sort'] })}>
              <option value="most_supported">{t('proposals.sort.most_supported')}</option>
              <option value="newest">{t('proposals.sort.newest')}</option>
            </select>
          </>
        )}
        <span className="spacer" />
        {tab !== 'projects' && (
          <span className="total" data-testid="proposal-total" aria-live="polite">
            {(() => {
              const rows = tab === 'proposals' ? proposals : queue;
              if (rows === null) return t('app.loading');
              return rows.length >= proposalListLimit ? t('proposals.firstOnly', { count: formatNumber(rows.length) }) : t('proposals.total', { count: formatNumber(rows.length) });
            })()}
          </span>
        )}
        {tab === 'proposals' && organiser && (
          <button type="button" className="primary" disabled={selected.length === 0} onClick={() => setSide({ kind: 'new-project', proposals: selected })} title={t('project.fromSelectionHint')}>
            {t('project.createFromSelection', { count: selected.length })}
          </button>
        )}
        {tab === 'projects' && organiser && (
          <button type="button" className="primary" onClick={() => setSide({ kind: 'new-project', proposals: [] })}>
            {t('project.new')}
          </button>
        )}
        <button type="button" onClick={refresh}>
          {t('dashboard.refresh')}
        </button>
      </div>
      <RetryLine problem={problem} onRetry={refresh} />
      <div className="panes">
        <div className="grid-pane">
          {tab === 'proposals' && (
            <ProposalGrid rows={proposals} mode="all" names={names} answerStates={answerStates} openId={side.kind === 'proposal' ? side.id : null} onOpen={(id) => setSide({ kind: 'proposal', id })} {...(organiser ? { onSelection: setSelected } : {})} />
          )}
          {tab === 'moderation' && (
            <div className="moderation-pane">
              <p className="muted">{t('moderation.intro', { flags: commune.proposalPolicy?.flagsToHide ?? defaultProposalPolicy.flagsToHide })}</p>
              <ProposalGrid rows={queue} mode="queue" names={names} answerStates={answerStates} openId={side.kind === 'proposal' ? side.id : null} onOpen={(id) => setSide({ kind: 'proposal', id })} />
            </div>
          )}
          {tab === 'projects' && (
            <div className="project-list-pane">
              <p className="muted">{t('project.healthDefinition')}</p>
              {projects === null ? <p className="muted">{t('app.loading')}</p> : <ProjectList projects={projects} openId={side.kind === 'project' ? side.id : null} onOpen={(id) => setSide({ kind: 'project', id })} />}
            </div>
          )}
        </div>
        <div className="side-pane participation-side" hidden={side.kind === 'none'}>
          {side.kind === 'proposal' && (
            <ProposalPanel
              key={side.id}
              proposalId={side.id}
              api={proposalsApi}
              commune={commune}
              names={names}
              answerStates={answerStates}
              map={map}
              organiser={organiser}
              onClose={() => setSide({ kind: 'none' })}
              onChanged={proposalChanged}
            />
          )}
          {side.kind === 'new-project' && (
            <ProjectForm
              api={projectsApi}
              communes={mine}
              communeId={communeId}
              proposals={side.proposals}
              onCreated={(id) => {
                refresh();
                setTab('projects');
                setSide({ kind: 'project', id });
              }}
              onCancel={() => setSide({ kind: 'none' })}
            />
          )}
          {side.kind === 'project' && (
            <ProjectPanel key={side.id} projectId={side.id} api={projectsApi} commune={commune} names={names} user={user} map={map} onClose={() => setSide({ kind: 'none' })} onChanged={projectChanged} />
          )}
        </div>
      </div>
    </div>
  );
}
