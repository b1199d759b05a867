import { IonItem, IonLabel, IonList } from '@ionic/react';
import { useEffect, useState } from 'react';
import type { ConsultationSummary } from '../api/types.ts';
import { useServices } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { formatDateTime } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** What the commune asks its residents: open consultations first, then the closed ones with their results. */
export function ConsultationsPage() {
  const { t, language } = useI18n();
  const { api } = useServices();
  const [items, setItems] = useState<ConsultationSummary[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    api.consultations().then(
      (list) => setItems([...list].sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open'))),
      () => setFailed(true),
    );
  }, [api]);

  return (
    <Page title={t('consultations.title')} ready={items !== null || failed}>
      {failed && items === null && <p className="callout callout--warning">{t('consultations.needsNetwork')}</p>}
      {items?.length === 0 && <p className="empty">{t('consultations.empty')}</p>}
      <IonList>
        {items?.map((c) => (
          <IonItem key={c.id} routerLink={`/consultations/${c.id}`} detail data-testid="consultation" data-consultation-id={c.id}>
            <IonLabel>
              <h2>{c.title[language]}</h2>
              <p>{statusLine(c, t, language)}</p>
            </IonLabel>
          </IonItem>
        ))}
      </IonList>
    </Page>
  );
}

export function statusLine(c: Pick<ConsultationSummary, 'status' | 'closesAt'>, t: ReturnType<typeof useI18n>['t'], language: 'fr' | 'en'): string {
  if (c.status === 'open') return t('consultations.open', { date: formatDateTime(c.closesAt, language) });
  return t(`consultations.${c.status === 'draft' ? 'closed' : c.status}`);
}
