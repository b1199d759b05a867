import { boundingBox } from '@palabre/domain/geo/geometry';
import { IonButton, IonIcon, IonList, useIonRouter, useIonViewWillEnter } from '@ionic/react';
import { addCircleOutline, locateOutline, mapOutline, peopleOutline, timeOutline } from 'ionicons/icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ProposalView } from '../api/types.ts';
import { useOnline, useServices } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { LazyMap } from '../map/LazyMap.tsx';
import type { MapMarker } from '../map/MapView.tsx';
import { readCached, writeCached } from '../reference/cache.ts';
import { placeOf } from '../reference/places.ts';
import { useReference } from '../reference/reference.ts';
import { currentPosition } from '../report/geolocate.ts';
import { OutboxSection } from '../tickets/OutboxSection.tsx';
import { useOutboxEntries } from '../tickets/useOutboxEntries.ts';
import { getProposal, listProposals, type ProposalQuery, readWhenRecorded } from './api.ts';
import { type ProposalsKey, useProposalsI18n } from './messages.ts';
import { ProposalItem, useMe } from './parts.tsx';

type View = 'most_supported' | 'newest' | 'near' | 'map';

const views: { id: View; icon: string; label: ProposalsKey }[] = [
  { id: 'most_supported', icon: peopleOutline, label: 'proposals.mostSupported' },
  { id: 'newest', icon: timeOutline, label: 'proposals.newest' },
  { id: 'near', icon: locateOutline, label: 'proposals.near' },
  { id: 'map', icon: mapOutline, label: 'proposals.map' },
];

const cacheKey = (view: View) => `palabre.proposals.list.${view}`;

/** The commune's proposals: most supported, newest, nearest, or on a map; those still on the phone first; "Propose" at the top. */
export function ProposalsPage() {
  const { t } = useProposalsI18n();
  const { api, outbox, reference } = useServices();
  const { communes } = useReference(reference);
  const online = useOnline();
  const me = useMe();
  const router = useIonRouter();
  const { entries: waiting, sendingKey } = useOutboxEntries(outbox, 'proposal');
  const [view, setView] = useState<View>('most_supported');
  const [here, setHere] = useState<{ lat: number; lon: number } | null>(null);
  const [items, setItems] = useState<ProposalView[] | null>(() => readCached<ProposalView[]>(cacheKey('most_supported')));
  const [fresh, setFresh] = useState(false);
  const [failed, setFailed] = useState(false);
  const asked = useRef(0);

  useEffect(() => {
    currentPosition().then((p) => setHere({ lat: p.lat, lon: p.lon }), () => undefined);
  }, []);

  // The person's commune: where they said they live, else where the phone is.
  const commune = communes?.find((c) => c.id === me?.residence?.communeId) ?? (here && communes ? placeOf(communes, here)?.commune : undefined);

  const load = useCallback(async () => {
    const query: ProposalQuery = { communeId: commune?.id ?? null };
    if (view === 'near') {
      if (!here) return;
      query.near = here;
    } else if (view === 'map') {
      if (!commune) return;
      const box = boundingBox(commune.boundary);
      query.bbox = [box.minLon, box.minLat, box.maxLon, box.maxLat];
    } else {
      query.sort = view;
    }
    const ask = ++asked.current;
    try {
      const found = await listProposals(api, query);
      if (ask !== asked.current) return; // another view was chosen meanwhile
      setItems(found);
      setFresh(true);
      setFailed(false);
      writeCached(cacheKey(view), found);
    } catch {
      if (ask === asked.current) setFailed(true);
    }
  }, [api, view, here, commune]);

  useEffect(() => {
    void load();
  }, [load, online]);
  // Back on the list (from a proposal, after proposing): the counts may have moved.
  useIonViewWillEnter(() => void load(), [load]);

  // A proposal sent from the outbox shows in the list once the API's list has it (its read model trails a moment).
  useEffect(
    () =>
      outbox.subscribe((event) => {
        if (event.type !== 'sent' || event.request.kind !== 'proposal') return;
        void readWhenRecorded(() => getProposal(api, event.answer.id)).then(() => load(), () => load());
      }),
    [outbox, api, load],
  );

  const choose = (next: View) => {
    if (next === view) return;
    setView(next);
    setFresh(false);
    setItems(readCached<ProposalView[]>(cacheKey(next)));
  };

  const markers = useMemo(
    (): MapMarker[] =>
      (items ?? []).flatMap((p) => (p.location ? [{ id: p.id, lat: p.location.lat, lon: p.location.lon, badge: String(p.supports), label: p.title, selectable: true }] : [])),
    [items],
  );

  return (
    <Page title={t('proposals.title')} ready={items !== null || failed}>
      <p className="hint">{t('proposals.intro')}</p>
      <IonButton expand="block" size="large" routerLink="/proposals/new" data-testid="propose">
        <IonIcon slot="start" icon={addCircleOutline} aria-hidden="true" />
        {t('proposals.propose')}
      </IonButton>

      <OutboxSection entries={waiting} sendingKey={sendingKey} headingId="proposals-outbox" />

      <div className="segmented segmented--four" role="group" aria-label={t('proposals.show')}>
        {views
          .filter((v) => v.id !== 'near' || here)
          .map((v) => (
            <button key={v.id} type="button" className="choice" aria-pressed={view === v.id} data-view={v.id} onClick={() => choose(v.id)}>
              <IonIcon icon={v.icon} aria-hidden="true" /> {t(v.label)}
            </button>
          ))}
      </div>

      {view === 'map' && commune && markers.length > 0 && (
        <div className="proposals-map">
          <LazyMap communes={communes ?? []} markers={markers} onPointSelect={(id) => router.push(`/proposals/${id}`, 'forward')} label={t('proposals.map')} fallback={null} />
        </div>
      )}
      {failed && items === null && <p className="callout callout--warning">{t('proposals.needsNetwork')}</p>}
      {failed && items !== null && !fresh && <p className="callout callout--warning">{t('proposals.offlineList')}</p>}
      {fresh && items?.length === 0 && <p className="empty">{t('proposals.empty')}</p>}
      <IonList data-testid="proposals">
        {items?.map((proposal) => (
          <ProposalItem key={proposal.id} proposal={proposal} />
        ))}
      </IonList>
    </Page>
  );
}
