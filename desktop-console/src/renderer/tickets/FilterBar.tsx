import { useEffect, useRef, useState } from 'react';
import { type TicketFilter, emptyFilter } from '../api/tickets.js';
import type { OpenStatus } from '../api/types.js';
import { CategoryFilter, FilterSelect, QuartierFilter } from '../app/filters.js';
import type { Reference } from '../app/services.js';
import { useI18n } from '../i18n/i18n.js';
import { type SavedFilter, deleteSavedFilter, loadSavedFilters, saveFilter } from './saved-filters.js';

export const openStatuses: readonly OpenStatus[] = ['new', 'triaged', 'assigned', 'in_progress', 'reopened'];
const allStatuses: readonly OpenStatus[] = [...openStatuses, 'resolved', 'closed', 'rejected', 'duplicate'];

const statusChoice = (statuses: readonly OpenStatus[]): string => {
  if (statuses.length === 0) return '';
  if (statuses.length === openStatuses.length && openStatuses.every((s) => statuses.includes(s))) return 'open';
  return statuses.length === 1 ? statuses[0]! : '';
};

export interface FilterBarProps {
  readonly communeId: string;
  readonly reference: Reference;
  readonly filter: TicketFilter;
  readonly onFilter: (filter: TicketFilter) => void;
  readonly mapArea: boolean;
  readonly onMapArea: (on: boolean) => void;
  readonly total: number | null;
  readonly onExport: () => void;
  readonly exporting: string | null;
}

export function FilterBar({ communeId, reference, filter, onFilter, mapArea, onMapArea, total, onExport, exporting }: FilterBarProps) {
  const { t, formatNumber } = useI18n();
  const [text, setText] = useState(filter.text);
  // Electron has no window.prompt: the name is typed in place.
  const [naming, setNaming] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedFilter[]>(() => loadSavedFilters(localStorage, communeId));
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const commune = reference.communes.find((c) => c.id === communeId);

  useEffect(() => setSaved(loadSavedFilters(localStorage, communeId)), [communeId]);
  useEffect(() => setText(filter.text), [filter.text]);
  // Typing searches after a pause, not on every key.
  useEffect(() => {
    if (text === filterRef.current.text) return;
    const timer = setTimeout(() => onFilter({ ...filterRef.current, text }), 300);
    return () => clearTimeout(timer);
  }, [text, onFilter]);

  const set = (patch: Partial<TicketFilter>) => onFilter({ ...filter, ...patch });

  return (
    <div className="filter-bar" role="search">
      <input
        id="ticket-search"
        type="search"
        placeholder={t('filter.search')}
        aria-label={t('filter.search')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && onFilter({ ...filter, text })}
      />
      <select
        aria-label={t('filter.status')}
        value={statusChoice(filter.statuses)}
        onChange={(e) => {
          const v = e.target.value;
          set({ statuses: v === '' ? [] : v === 'open' ? openStatuses : [v as OpenStatus] });
        }}
      >
        <option value="">{t('filter.allStatuses')}</option>
        <option value="open">{t('filter.openStatuses')}</option>
        {allStatuses.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
      <CategoryFilter categories={reference.categories} value={filter.category} onChange={(category) => set({ category })} />
      <QuartierFilter commune={commune} value={filter.quartierId} onChange={(quartierId) => set({ quartierId })} />
      <FilterSelect
        label={t('filter.team')}
        all={t('filter.allTeams')}
        value={filter.teamId}
        onChange={(teamId) => set({ teamId })}
        options={reference.teams.map((team) => ({ value: team.id, label: team.name }))}
      />
      <label className="check">
        <input type="checkbox" checked={filter.breachedOnly} onChange={(e) => set({ breachedOnly: e.target.checked })} />
        {t('filter.breached')}
      </label>
      <label className="check" title={t('filter.mapAreaHint')}>
        <input type="checkbox" checked={mapArea} onChange={(e) => onMapArea(e.target.checked)} data-testid="map-area" />
        {t('filter.mapArea')}
      </label>
      <select
        aria-label={t('filter.saved')}
        value=""
        onChange={(e) => {
          const v = e.target.value;
          if (v === '\u0000save') setNaming('');
          else if (v.startsWith('\u0000delete:')) {
            setSaved(deleteSavedFilter(localStorage, communeId, v.slice(8)));
          } else {
            const chosen = saved.find((s) => s.name === v);
            if (chosen) onFilter(chosen.filter);
          }
        }}
      >
        <option value="">{t('filter.saved')}</option>
        {saved.length === 0 && <option disabled>{t('filter.savedNone')}</option>}
        {saved.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name}
          </option>
        ))}
        <option value={'\u0000save'}>{t('filter.saveAs')}</option>
        {saved.map((s) => (
          <option key={`d-${s.name}`} value={`\u0000delete:${s.name}`}>
            {t('filter.delete', { name: s.name })}
          </option>
        ))}
      </select>
      {naming !== null && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const name = naming.trim().slice(0, 200);
            if (name) setSaved(saveFilter(localStorage, communeId, { name, filter }));
            setNaming(null);
          }}
        >
          <input
            autoFocus
            aria-label={t('filter.saveName')}
            placeholder={t('filter.saveName')}
            value={naming}
            onChange={(e) => setNaming(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setNaming(null)}
          />
          <button type="submit">{t('app.save')}</button>
        </form>
      )}
      <button type="button" className="icon" onClick={() => onFilter(emptyFilter)} aria-label={t('filter.reset')} title={t('filter.reset')}>
        ⌫
      </button>
      <span className="spacer" />
      <span className="total" data-testid="grid-total" aria-live="polite">
        {total === null ? t('app.loading') : t('grid.total', { count: formatNumber(total) })}
      </span>
      <button type="button" onClick={onExport} disabled={exporting !== null} title="Ctrl+E">
        {exporting ?? t('grid.export')}
      </button>
    </div>
  );
}
