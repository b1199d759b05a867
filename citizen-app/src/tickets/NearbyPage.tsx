import { IonButton, IonIcon, IonList } from '@ionic/react';
import { checkmarkCircle, handRightOutline } from 'ionicons/icons';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/errors.ts';
import type { TicketView } from '../api/types.ts';
import { useOnline, useServices, useSubscribed } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { formatDistance, translateCode } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { LazyMap } from '../map/LazyMap.tsx';
import { communeCentre, distanceMetres } from '../reference/places.ts';
import { useReference } from '../reference/reference.ts';
import { currentPosition } from '../report/geolocate.ts';
import { TicketItem } from './TicketItem.tsx';

const radiusMetres = 2_000;

/** Public reports around the person, on a map and in a list, each with a single "me too". */
export function NearbyPage() {
  const { t, language } = useI18n();
  const { api, tickets, live, reference } = useServices();
  const { communes } = useReference(reference);
  const online = useOnline();
  const nearby = useSubscribed(tickets, () => tickets.nearbyList());
  const [here, setHere] = useState<{ lat: number; lon: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    currentPosition()
      .then((p) => setHere({ lat: p.lat, lon: p.lon }))
      .catch(() => setHere(communes?.[0] ? communeCentre(communes[0]) : { lat: 5.45, lon: 10.05 }));
  }, [communes]);

  const load = useCallback(async () => {
    if (!here) return;
    try {
      // The list says which ones this phone confirmed (`confirmedByMe`).
      const listed = await api.nearby(here.lat, here.lon, radiusMetres);
      // Another person's confidential report must never show, even if the API lets one through.
      const found = listed.filter((ticket) => !ticket.confidential || ticket.mine === true);
      tickets.setNearby(found);
      live.follow(found.map((ticket) => ticket.id));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [api, tickets, live, here]);

  useEffect(() => {
    void live.start();
    void load();
  }, [live, load, online]);

  const meToo = async (ticket: TicketView) => {
    try {
      const done = await api.act(ticket.id, 'confirm');
      const fresh = await api.ticket(ticket.id);
      // The read model may trail the log for a moment: count this "me too" until the live update lands.
      // When the confirmation is all that the new revision changed, the ticket takes that revision: a
      // late update of the older one can then no longer undo the count.
      const confirmed = fresh.revision < done.revision && done.events?.includes('TicketConfirmed');
      const counted = confirmed ? { confirmations: fresh.confirmations + 1, ...(fresh.revision === done.revision - 1 ? { revision: done.revision } : {}) } : {};
      tickets.upsert({ ...fresh, ...counted, confirmedByMe: true });
    } catch (error) {
      setErrors((e) => ({ ...e, [ticket.id]: error instanceof ApiError ? translateCode(language, error.code) : t('error.network') }));
    }
  };

  const points = useMemo(() => nearby.map((ticket) => ({ id: ticket.id, lat: ticket.location.lat, lon: ticket.location.lon, status: ticket.status, mine: tickets.isMine(ticket.id) })), [nearby, tickets]);

  return (
    <Page title={t('nearby.title')}>
      {here && (
        <LazyMap
          center={here}
          zoom={14}
          communes={communes ?? []}
          points={points}
          onPointSelect={(id) => {
            setSelected(id);
            document.getElementById(`nearby-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
          }}
          label={t('nearby.title')}
          fallback={null}
        />
      )}
      {failed && nearby.length === 0 && <p className="callout callout--warning">{t('nearby.needsNetwork')}</p>}
      {!failed && here && nearby.length === 0 && <p className="empty">{t('nearby.empty')}</p>}
      <IonList aria-label={t('nearby.list')}>
        {nearby.map((ticket) => {
          const mine = tickets.isMine(ticket.id) || ticket.mine === true;
          return (
            <div key={ticket.id} id={`nearby-${ticket.id}`} className={`nearby-card ${selected === ticket.id ? 'nearby-card--selected' : ''}`} data-testid="nearby">
              <TicketItem ticket={ticket} />
              <div className="nearby-actions">
                {here && <span className="hint">{t('nearby.distance', { d: formatDistance(distanceMetres(here, ticket.location), language) })}</span>}
                {mine ? (
                  <span className="hint">{t('nearby.mine')}</span>
                ) : ticket.confirmedByMe ? (
                  <span className="me-too-done" data-testid="me-too-done">
                    <IonIcon icon={checkmarkCircle} aria-hidden="true" /> {t('nearby.meTooDone')} · {ticket.confirmations}
                  </span>
                ) : (
                  <IonButton fill="outline" onClick={() => void meToo(ticket)} disabled={!online} data-testid="me-too">
                    <IonIcon slot="start" icon={handRightOutline} aria-hidden="true" />
                    {t('nearby.meToo')} · {ticket.confirmations}
                  </IonButton>
                )}
              </div>
              {errors[ticket.id] && (
                <p role="alert" className="callout callout--warning">
                  {errors[ticket.id]}
                </p>
              )}
            </div>
          );
        })}
      </IonList>
    </Page>
  );
}
