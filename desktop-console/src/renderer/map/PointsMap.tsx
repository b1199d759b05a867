import type { Map as MapLibre } from 'maplibre-gl';
import { Marker } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { CommuneInfo } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { createCommuneMap } from './commune-map.js';
import { boundsOf } from './style.js';

export interface MapPoint {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly label: string;
}

/**
 * A few places on the commune's map, each a pin with its label: where a proposal is, where a
 * project's photos were taken. Framed on the pins (the whole commune when there are none).
 */
export function PointsMap({ commune, points, styleUrl, token, testId }: { commune: CommuneInfo; points: readonly MapPoint[]; styleUrl: string | null; token: string; testId?: string }) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibre | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const latest = useRef(commune);
  latest.current = commune;

  useEffect(() => {
    if (!container.current) return;
    let map: MapLibre;
    try {
      map = createCommuneMap({ container: container.current, styleUrl, token, communes: () => [latest.current], onStyle: () => undefined });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      return;
    }
    mapRef.current = map;
    return () => {
      map.remove();
      mapRef.current = null;
    };
  }, [styleUrl, token, commune.id]);

  const pinsKey = points.map((p) => `${p.id}:${p.lat},${p.lon}:${p.label}`).join('|');
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const pins = points.map((p) => {
      const element = document.createElement('div');
      element.className = 'place-pin';
      element.dataset.id = p.id;
      element.title = p.label;
      element.textContent = p.label;
      return new Marker({ element, anchor: 'bottom' }).setLngLat([p.lon, p.lat]).addTo(map);
    });
    if (points.length === 0) map.fitBounds(boundsOf(latest.current.boundary), { padding: 16, duration: 0 });
    else {
      const lons = points.map((p) => p.lon);
      const lats = points.map((p) => p.lat);
      map.fitBounds(
        [
          [Math.min(...lons), Math.min(...lats)],
          [Math.max(...lons), Math.max(...lats)],
        ],
        { padding: 40, maxZoom: 15, duration: 0 },
      );
    }
    return () => pins.forEach((pin) => pin.remove());
  }, [pinsKey, styleUrl, token, commune.id]);

  if (failure) return <p className="map-failure">{t('map.unavailable', { detail: failure })}</p>;
  return <div ref={container} className="map-canvas points-map" data-testid={testId} />;
}
