import type { FilterSpecification, Map as MapLibre, MapMouseEvent } from 'maplibre-gl';
import { Marker } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { CommuneInfo } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { createCommuneMap } from '../map/commune-map.js';
import { boundsOf } from '../map/style.js';
import type { OptionPoint } from './draft.js';

/** An option that may sit on the map: its place in the form, its label, its point. */
export interface MappableOption {
  readonly question: number;
  readonly option: number;
  readonly label: string;
  readonly point: OptionPoint;
}

/** The quartiers of the scope, for the shaded layer's filter. */
const inScope = (ids: readonly string[]): FilterSpecification => ['in', ['get', 'id'], ['literal', [...ids]]];

/**
 * The editor's map of the commune: a click on a quartier puts it in the consultation's scope or
 * takes it out (the checkboxes say the same); with an option chosen to place, a click puts that
 * option (a proposed site) where residents will see it. Placed options are numbered pins.
 */
export function EditorMap({
  commune,
  styleUrl,
  token,
  quartierIds,
  onToggleQuartier,
  options,
  placing,
  onPlace,
}: {
  commune: CommuneInfo;
  styleUrl: string | null;
  token: string;
  quartierIds: readonly string[];
  onToggleQuartier: (quartierId: string) => void;
  options: readonly MappableOption[];
  /** The option the next click places, if any. */
  placing: MappableOption | null;
  onPlace: (point: { lat: number; lon: number }) => void;
}) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibre | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [ready, setReady] = useState(0);
  const latest = useRef({ commune, onToggleQuartier, placing, onPlace, quartierIds });
  latest.current = { commune, onToggleQuartier, placing, onPlace, quartierIds };

  useEffect(() => {
    if (!container.current) return;
    let map: MapLibre;
    try {
      map = createCommuneMap({
        container: container.current,
        styleUrl,
        token,
        communes: () => [latest.current.commune],
        onStyle: (m) => {
          m.addLayer({ id: 'quartier-in-scope', type: 'fill', source: 'quartiers', filter: inScope(latest.current.quartierIds), paint: { 'fill-color': '#1565c0', 'fill-opacity': 0.35 } }, 'quartier-line');
          setReady((n) => n + 1);
        },
      });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      return;
    }
    mapRef.current = map;
    map.fitBounds(boundsOf(latest.current.commune.boundary), { padding: 16, duration: 0 });
    map.on('click', (event: MapMouseEvent) => {
      const { placing: target, onPlace: place, onToggleQuartier: toggle } = latest.current;
      if (target) {
        place({ lat: round(event.lngLat.lat), lon: round(event.lngLat.lng) });
        return;
      }
      const quartier = map.queryRenderedFeatures(event.point, { layers: ['quartier-fill'] })[0];
      const id = quartier?.properties?.id as string | undefined;
      if (id) toggle(id);
    });
    return () => {
      map.remove();
      mapRef.current = null;
    };
  }, [styleUrl, token, commune.id]);

  // The scope's quartiers, shaded.
  useEffect(() => {
    const map = mapRef.current;
    if (!map?.getLayer('quartier-in-scope')) return;
    map.setFilter('quartier-in-scope', inScope(quartierIds));
  }, [quartierIds, ready]);

  // One pin per placed option, numbered as the form lists them.
  const placed = options.filter((o) => o.point !== null);
  const pinsKey = placed.map((o) => `${o.question}.${o.option}:${o.point!.lat},${o.point!.lon}:${o.label}`).join('|');
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const pins = placed.map((o) => {
      const element = document.createElement('div');
      element.className = 'option-pin';
      element.dataset.option = `${o.question}.${o.option}`;
      element.title = o.label;
      element.textContent = o.label || `${o.option + 1}`;
      return new Marker({ element, anchor: 'bottom' }).setLngLat([o.point!.lon, o.point!.lat]).addTo(map);
    });
    return () => pins.forEach((pin) => pin.remove());
  }, [pinsKey, ready]);

  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas) canvas.style.cursor = placing ? 'crosshair' : '';
  }, [placing]);

  if (failure) return <p className="map-failure">{t('map.unavailable', { detail: failure })}</p>;
  return (
    <div className="editor-map">
      <p className="muted" role="status" data-testid="editor-map-hint">
        {placing ? t('editor.map.placing', { option: placing.label || String(placing.option + 1) }) : t('editor.map.hint')}
      </p>
      <div ref={container} className="map-canvas" data-testid="editor-map" />
    </div>
  );
}

/** Six decimals: about 10 cm, more than a site needs and short in the log. */
const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;
