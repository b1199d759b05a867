import { IonButton, IonIcon, IonSpinner } from '@ionic/react';
import { locateOutline } from 'ionicons/icons';
import { useCallback, useEffect, useState } from 'react';
import type { CommuneRef } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Position } from '../report/draft.tsx';
import { currentPosition } from '../report/geolocate.ts';
import { LazyMap } from './LazyMap.tsx';

export interface GpsFix {
  locating: boolean;
  /** The last attempt failed (denied, no signal, timed out). */
  unavailable: boolean;
  locate(): Promise<void>;
}

/** Asks the GPS for a fix on arrival when no place is chosen yet, and again on demand; `onFix` receives it. */
export function useGpsFix(onFix: (fix: Position) => void, placeChosen: boolean): GpsFix {
  const [locating, setLocating] = useState(false);
  const [unavailable, setUnavailable] = useState(false);

  const locate = useCallback(async () => {
    setLocating(true);
    setUnavailable(false);
    try {
      onFix(await currentPosition());
    } catch {
      setUnavailable(true);
    } finally {
      setLocating(false);
    }
  }, [onFix]);

  useEffect(() => {
    if (!placeChosen) void locate();
    // Only on arrival: a place chosen by hand must not be replaced by a late fix.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return { locating, unavailable, locate };
}

interface PinMapProps {
  center: { lat: number; lon: number };
  pin: { lat: number; lon: number } | null;
  communes: readonly CommuneRef[];
  onPinMove(at: { lat: number; lon: number }): void;
}

/** The map with the pin to drag or tap into place, and the sentence that says how. */
export function PinMap({ center, pin, communes, onPinMove }: PinMapProps) {
  const { t } = useI18n();
  return (
    <>
      <LazyMap
        center={center}
        zoom={pin ? 16 : 13}
        communes={communes}
        pin={pin}
        onPinMove={onPinMove}
        label={t('report.position.mapHint')}
        fallback={<p className="callout">{t('report.position.mapUnavailable')}</p>}
      />
      <p className="hint">{t('report.position.mapHint')}</p>
    </>
  );
}

/** Asks the GPS again. */
export function LocateAgain({ gps }: { gps: GpsFix }) {
  const { t } = useI18n();
  return (
    <IonButton fill="outline" onClick={() => void gps.locate()} disabled={gps.locating}>
      <IonIcon slot="start" icon={locateOutline} aria-hidden="true" />
      {t('report.position.retry')}
    </IonButton>
  );
}

/** While the GPS searches, then why there is no fix (only when no place is chosen yet). */
export function GpsProgress({ gps, placeChosen, announced }: { gps: GpsFix; placeChosen: boolean; /** Announced by itself (not inside a live region). */ announced?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {gps.locating && (
        <p role={announced ? 'status' : undefined}>
          <IonSpinner name="dots" aria-hidden="true" /> {t('report.position.locating')}
        </p>
      )}
      {!gps.locating && gps.unavailable && !placeChosen && <p className="callout callout--warning">{t('report.position.denied')}</p>}
    </>
  );
}
