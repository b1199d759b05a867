import { encodePlusCode } from '@palabre/domain/geo/plus-code';
import { IonButton, IonIcon, useIonRouter } from '@ionic/react';
import { locationOutline, mapOutline } from 'ionicons/icons';
import { useCallback, useState } from 'react';
import { useServices } from '../../app/context.tsx';
import { Page } from '../../components/Page.tsx';
import { GpsProgress, LocateAgain, PinMap, useGpsFix } from '../../map/PinPicker.tsx';
import { communeCentre, placeOf } from '../../reference/places.ts';
import { useReference } from '../../reference/reference.ts';
import { useProposalDraft } from '../draft.ts';
import { useProposalsI18n } from '../messages.ts';
import { useMe } from '../parts.tsx';

/** Screen 3 of 4: where, as a pin on the map (the GPS puts it there first) or as one of the commune's quartiers. */
export function PlaceStep() {
  const { t } = useProposalsI18n();
  const { reference } = useServices();
  const { communes } = useReference(reference);
  const { draft, update } = useProposalDraft();
  const me = useMe();
  const router = useIonRouter();
  const [mode, setMode] = useState<'map' | 'quartier'>(draft.place?.kind === 'quartier' ? 'quartier' : 'map');
  const gps = useGpsFix(useCallback((fix) => update({ place: { kind: 'point', lat: fix.lat, lon: fix.lon } }), [update]), draft.place !== null);

  const movePin = useCallback((at: { lat: number; lon: number }) => update({ place: { kind: 'point', ...at } }), [update]);

  const place = draft.place;
  const point = place?.kind === 'point' ? place : null;
  const pointPlace = point && communes ? placeOf(communes, point) : null;
  const outside = Boolean(point && communes && !pointPlace);
  const home = communes?.find((c) => c.id === (me?.residence?.communeId ?? pointPlace?.commune.id)) ?? communes?.[0];
  // The person's commune first, then the others.
  const listed = home && communes ? [home, ...communes.filter((c) => c !== home)] : (communes ?? []);
  const chosenQuartier = place?.kind === 'quartier' ? communes?.flatMap((c) => c.quartiers.map((q) => ({ q, c }))).find(({ q }) => q.id === place.quartierId) : undefined;
  const described = pointPlace
    ? `${pointPlace.quartier ? `${pointPlace.quartier.name}, ` : ''}${pointPlace.commune.name} · ${encodePlusCode(point!.lat, point!.lon)}`
    : chosenQuartier
      ? `${chosenQuartier.q.name}, ${chosenQuartier.c.name}`
      : null;

  return (
    <Page
      title={t('proposals.propose')}
      back="/proposals/new/photos"
      footer={
        <IonButton expand="block" size="large" disabled={!place || outside} onClick={() => router.push('/proposals/new/details', 'forward')} data-testid="place-next">
          {t('report.next')}
        </IonButton>
      }
    >
      <p className="step">{t('propose.step', { n: 3 })}</p>
      <h1 className="screen-title">{t('propose.place.title')}</h1>

      <div className="segmented" role="group">
        <button type="button" className="choice" aria-pressed={mode === 'map'} onClick={() => setMode('map')} data-testid="place-map">
          <IonIcon icon={mapOutline} aria-hidden="true" /> {t('propose.place.onMap')}
        </button>
        <button type="button" className="choice" aria-pressed={mode === 'quartier'} onClick={() => setMode('quartier')} data-testid="place-quartier">
          <IonIcon icon={locationOutline} aria-hidden="true" /> {t('propose.place.quartier')}
        </button>
      </div>

      <div className="position-status" role="status" aria-live="polite">
        {described ? (
          <p data-testid="place-chosen">{t('propose.place.chosen', { place: described })}</p>
        ) : (
          !gps.locating && <p className="hint">{t('propose.place.needed')}</p>
        )}
        {outside && (
          <p role="alert" className="callout callout--danger">
            {t('report.position.outside')}
          </p>
        )}
      </div>

      {mode === 'map' ? (
        <>
          <GpsProgress gps={gps} placeChosen={point !== null} announced />
          <PinMap center={point ?? (home ? communeCentre(home) : { lat: 5.45, lon: 10.05 })} pin={point} communes={communes ?? []} onPinMove={movePin} />
          <LocateAgain gps={gps} />
        </>
      ) : (
        <>
          <p className="hint">{t('propose.place.quartierHint')}</p>
          {listed.map((commune) => (
            <fieldset className="choices" key={commune.id}>
              <legend>{commune.name}</legend>
              {commune.quartiers.map((q) => (
                <button
                  key={q.id}
                  type="button"
                  className="choice"
                  aria-pressed={place?.kind === 'quartier' && place.quartierId === q.id}
                  data-quartier={q.id}
                  onClick={() => update({ place: { kind: 'quartier', quartierId: q.id } })}
                >
                  {q.name}
                </button>
              ))}
            </fieldset>
          ))}
        </>
      )}
    </Page>
  );
}
