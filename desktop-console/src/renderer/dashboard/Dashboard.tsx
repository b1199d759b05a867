import { useEffect, useState } from 'react';
import type { Stats } from '../api/types.js';
import { type Reference, useServices } from '../app/services.js';
import { formatDuration, useI18n } from '../i18n/i18n.js';
import type { Names } from '../tickets/names.js';
import { DailyBars, HorizontalBars, Kpi } from './charts.js';
import { normalizeStats } from './normalize.js';
import { ParticipationFigures } from './ParticipationFigures.js';
import { lastDays, totalsPerDay } from './period.js';

const presets = [7, 30, 90] as const;

export function Dashboard({ communeId, reference, names }: { communeId: string; reference: Reference; names: Names }) {
  const i18n = useI18n();
  const { t, formatNumber, formatDay, problem } = i18n;
  const { api, live } = useServices();
  const commune = reference.communes.find((c) => c.id === communeId);
  const [period, setPeriod] = useState(() => lastDays(30, commune?.timeZone));
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    const params = new URLSearchParams({ communeId, from: period.from, to: period.to });
    api.get<unknown>(`/api/stats?${params}`, abort.signal).then(
      (s) => {
        setStats(normalizeStats(s, period.from, period.to));
        setError(null);
      },
      (e: unknown) => !abort.signal.aborted && setError(e),
    );
    return () => abort.abort();
  }, [api, communeId, period, version]);

  // New reports and actions move the counts: refresh, at most every few seconds.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = live.listen({
      ticket: ({ ticket }) => {
        if (ticket.communeId !== communeId || timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          setVersion((v) => v + 1);
        }, 1500);
      },
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [live, communeId]);

  const duration = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? t('app.none') : formatDuration(t, seconds * 1000));
  const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? t('app.none') : formatNumber(rate, { style: 'percent', maximumFractionDigits: 1 }));
  const daily = stats ? totalsPerDay(stats.days, period.from, period.to) : [];
  const presetDays = presets.find((d) => lastDays(d, commune?.timeZone).from === period.from && lastDays(d, commune?.timeZone).to === period.to);

  return (
    <section className="dashboard" aria-labelledby="dashboard-title" data-testid="dashboard">
      <header className="dashboard-header">
        <h2 id="dashboard-title">{t('dashboard.title', { commune: names.commune(communeId) })}</h2>
        <label>
          {t('dashboard.period')}{' '}
          <select value={presetDays ?? ''} onChange={(e) => e.target.value && setPeriod(lastDays(Number(e.target.value), commune?.timeZone))}>
            {presetDays === undefined && <option value="">{`${period.from} → ${period.to}`}</option>}
            {presets.map((d) => (
              <option key={d} value={d}>
                {t('dashboard.days', { days: d })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashboard.from')} <input type="date" value={period.from} max={period.to} onChange={(e) => e.target.value && setPeriod({ ...period, from: e.target.value })} />
        </label>
        <label>
          {t('dashboard.to')} <input type="date" value={period.to} min={period.from} onChange={(e) => e.target.value && setPeriod({ ...period, to: e.target.value })} />
        </label>
        <button type="button" onClick={() => setVersion((v) => v + 1)}>
          {t('dashboard.refresh')}
        </button>
      </header>
      {error !== null && <p className="error">{problem(error)}</p>}
      {!stats && error === null && <p className="muted">{t('app.loading')}</p>}
      {stats && (
        <>
          <div className="kpis">
            <Kpi label={t('dashboard.received')} value={formatNumber(stats.totals.received)} testId="kpi-received" />
            <Kpi label={t('dashboard.acknowledged')} value={formatNumber(stats.totals.acknowledged)} testId="kpi-acknowledged" />
            <Kpi label={t('dashboard.resolved')} value={formatNumber(stats.totals.resolved)} testId="kpi-resolved" />
            <Kpi label={t('dashboard.medianAck')} value={duration(stats.totals.medianAckSeconds)} />
            <Kpi label={t('dashboard.medianResolve')} value={duration(stats.totals.medianResolveSeconds)} />
            <Kpi label={t('dashboard.breachRate')} value={percent(stats.totals.breachRate)} />
          </div>
          {stats.totals.received === 0 && <p className="muted">{t('dashboard.noData')}</p>}
          <div className="charts">
            <section className="chart-card wide">
              <h3>{t('dashboard.perDay')}</h3>
              <DailyBars
                rows={daily}
                title={t('dashboard.perDay')}
                dayLabel={formatDay}
                value={(row, key) => row[key as 'received' | 'acknowledged' | 'resolved']}
                series={[
                  { key: 'received', label: t('dashboard.received'), colour: '#5b7db1' },
                  { key: 'acknowledged', label: t('dashboard.acknowledged'), colour: '#f0a340' },
                  { key: 'resolved', label: t('dashboard.resolved'), colour: '#4c9a5b' },
                ]}
              />
            </section>
            <section className="chart-card">
              <h3>{t('dashboard.byCategory')}</h3>
              <HorizontalBars
                title={t('dashboard.byCategory')}
                testId="by-category"
                rows={stats.byCategory.map((g) => ({
                  id: g.category ?? '',
                  label: names.category(g.category ?? null),
                  value: g.received,
                  ...(g.resolved !== undefined ? { part: g.resolved } : {}),
                  note: `${t('dashboard.resolved')} ${g.resolved ?? 0} · ${percent(g.breachRate)}`,
                }))}
              />
            </section>
            <section className="chart-card" hidden={stats.byQuartier.length === 0}>
              <h3>{t('dashboard.byQuartier')}</h3>
              <HorizontalBars
                title={t('dashboard.byQuartier')}
                testId="by-quartier"
                rows={stats.byQuartier.map((g) => ({
                  id: g.quartierId ?? 'none',
                  label: names.quartier(g.quartierId ?? null),
                  value: g.received,
                  ...(g.resolved !== undefined ? { part: g.resolved } : {}),
                  note: `${t('dashboard.resolved')} ${g.resolved ?? 0} · ${percent(g.breachRate)}`,
                }))}
              />
            </section>
          </div>
        </>
      )}
      {commune && <ParticipationFigures commune={commune} names={names} version={version} />}
    </section>
  );
}
