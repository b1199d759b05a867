import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Photos } from '../tickets/Photos.js';
import type { ConsultationsApi, PollingTable, ResultsView } from './consultations-api.js';

/**
 * Each polling table: the paper ballots the log holds from it beside the count on its tally sheet,
 * a difference flagged, the sheet's photos a click away. Fetched again at each push of the
 * consultation's figures (every projection of it pushes one, a sheet's included).
 */
export function PollingTables({ consultationId, api, results }: { consultationId: string; api: ConsultationsApi; results: ResultsView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [tables, setTables] = useState<PollingTable[] | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    api.pollingTables(consultationId, abort.signal).then(setTables, () => undefined);
    return () => abort.abort();
  }, [api, consultationId, results]);

  if (!tables || tables.length === 0) return null;
  return (
    <section className="polling-tables" aria-labelledby="polling-tables-heading" data-testid="polling-tables">
      <h3 id="polling-tables-heading">{t('tables.title')}</h3>
      <table className="results-table">
        <thead>
          <tr>
            <th scope="col">{t('paper.table')}</th>
            <th scope="col">{t('tables.inLog')}</th>
            <th scope="col">{t('tables.onSheet')}</th>
            <th scope="col">{t('tables.sheet')}</th>
          </tr>
        </thead>
        <tbody>
          {tables.map((table) => {
            const sheet = table.sheets.at(-1);
            const differs = sheet !== undefined && sheet.ballotsOnSheet !== table.paperBallots;
            return (
              <tr key={table.pollingTableId} data-id={table.pollingTableId} className={differs ? 'differs' : undefined}>
                <th scope="row">{table.pollingTableId}</th>
                <td className="num">{i18n.formatNumber(table.paperBallots)}</td>
                <td className="num">
                  {sheet ? i18n.formatNumber(sheet.ballotsOnSheet) : '—'}
                  {differs && <span className="error"> {t('tables.differs')}</span>}
                </td>
                <td>
                  {sheet ? (
                    <>
                      <span className="muted">{t('tables.attached', { at: i18n.formatDateTime(sheet.attachedAt) })}</span>
                      {sheet.note && <p>{sheet.note}</p>}
                      <Photos media={sheet.media} />
                    </>
                  ) : (
                    <span className="muted">{t('tables.noSheet')}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
