import type { GeoJSONSource, MapGeoJSONFeature, Map as MapLibre } from 'maplibre-gl';
import { Marker } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { Bbox, TicketFilter, TicketQuery } from '../api/tickets.js';
import { defaultOrder } from '../api/tickets.js';
import type { CommuneInfo, TicketView } from '../api/types.js';
import { useServices } from '../app/services.js';
import { useI18n } from '../i18n/i18n.js';
import { createCommuneMap, domLabel } from './commune-map.js';
import { boundsOf, statusColours } from './style.js';

/** Points fetched per view at most: beyond that the dispatcher zooms in (counts still say how many). */
const maxPoints = 1000;
const emptyCollection = { type: 'FeatureCollection' as const, features: [] as GeoJSON.Feature<GeoJSON.Point>[] };

export interface TicketMapProps {
  readonly communeId: string;
  readonly communes: readonly CommuneInfo[];
  readonly filter: TicketFilter;
  readonly styleUrl: string | null;
  readonly token: string;
  readonly openTicket: TicketView | null;
  readonly onOpen: (id: string) => void;
  readonly onBounds: (bbox: Bbox) => void;
  /** Changes when the map's box changes size (view switch): the canvas must follow. */
  readonly layoutKey: string;
}

const toFeature = (t: TicketView): GeoJSON.Feature<GeoJSON.Point> | null =>
  t.location
    ? { type: 'Feature', id: t.id, properties: { id: t.id, status: t.status, priority: t.priority }, geometry: { type: 'Point', coordinates: [t.location.lon, t.location.lat] } }
    : null;

const statusColourExpression = ['match', ['get', 'status'], ...Object.entries(statusColours).flat(), '#555'] as unknown as string;

/**
 * MapLibre map of the commune: boundaries and quartier names from the seed data, tickets of the
 * current view clustered, coloured by status. Names and cluster counts are DOM badges because
 * offline there is no glyph server for text layers.
 */
export function TicketMap({ communeId, communes, filter, styleUrl, token, openTicket, onOpen, onBounds, layoutKey }: TicketMapProps) {
  const { t } = useI18n();
  const { tickets, live } = useServices();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibre | null>(null);
  const points = useRef(new Map<string, GeoJSON.Feature<GeoJSON.Point>>());
  const [status, setStatus] = useState<{ shown: number; total: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const latest = useRef({ communeId, communes, filter, onOpen, onBounds });
  latest.current = { communeId, communes, filter, onOpen, onBounds };
  const reload = useRef<() => void>(() => undefined);

  // One map per style; sources and layers are re-added whenever a style (re)loads.
  useEffect(() => {
    if (!container.current) return;
    const clusterBadges = new Map<number, Marker>();
    let abort: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const addOverlays = (map: MapLibre) => {
      map.addSource('tickets', { type: 'geojson', data: { ...emptyCollection, features: [...points.current.values()] }, cluster: true, clusterRadius: 42, clusterMaxZoom: 16 });
      map.addLayer({
        id: 'ticket-clusters',
        type: 'circle',
        source: 'tickets',
        filter: ['has', 'point_count'],
        paint: { 'circle-color': '#37474f', 'circle-opacity': 0.85, 'circle-radius': ['step', ['get', 'point_count'], 14, 20, 18, 100, 23, 500, 28], 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
      });
      map.addLayer({
        id: 'ticket-points',
        type: 'circle',
        source: 'tickets',
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': statusColourExpression,
          'circle-radius': ['match', ['get', 'priority'], 'urgent', 9, 'high', 7.5, 6.5],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      });
      reload.current();
    };
    let map: MapLibre;
    try {
      map = createCommuneMap({ container: container.current, styleUrl, token, communes: () => latest.current.communes, onStyle: addOverlays });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      return;
    }
    mapRef.current = map;

    // Cluster counts as DOM badges, kept in step with what the map renders.
    const updateBadges = () => {
      if (!map.getSource('tickets') || !map.isSourceLoaded('tickets')) return;
      const seen = new Set<number>();
      for (const feature of map.querySourceFeatures('tickets')) {
        const props = feature.properties as { cluster?: boolean; cluster_id?: number; point_count?: number };
        if (!props.cluster || props.cluster_id === undefined || seen.has(props.cluster_id)) continue;
        seen.add(props.cluster_id);
        const [lon, lat] = (feature.geometry as GeoJSON.Point).coordinates as [number, number];
        let badge = clusterBadges.get(props.cluster_id);
        if (!badge) {
          badge = domLabel(String(props.point_count ?? ''), 'cluster-count', [lon, lat]);
          clusterBadges.set(props.cluster_id, badge.addTo(map));
        } else badge.setLngLat([lon, lat]);
      }
      for (const [id, badge] of clusterBadges) {
        if (!seen.has(id)) {
          badge.remove();
          clusterBadges.delete(id);
        }
      }
    };

    const viewBbox = (): Bbox => {
      const b = map.getBounds();
      return { minLon: b.getWest(), minLat: b.getSouth(), maxLon: b.getEast(), maxLat: b.getNorth() };
    };

    const loadPoints = async () => {
      abort?.abort();
      abort = new AbortController();
      const signal = abort.signal;
      const bbox = viewBbox();
      latest.current.onBounds(bbox);
      const query: TicketQuery = { communeId: latest.current.communeId, filter: latest.current.filter, order: defaultOrder, bbox };
      const found = new Map<string, GeoJSON.Feature<GeoJSON.Point>>();
      let total = 0;
      let cursor: string | undefined;
      try {
        do {
          const page = await tickets.list(query, cursor === undefined ? { limit: 200 } : { limit: 200, cursor }, signal);
          total = page.total;
          for (const item of page.items) {
            const feature = toFeature(item);
            if (feature) found.set(item.id, feature);
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined && found.size < maxPoints);
      } catch {
        return; // aborted by a newer move, or offline: keep what is shown
      }
      points.current = found;
      (map.getSource('tickets') as GeoJSONSource | undefined)?.setData({ ...emptyCollection, features: [...found.values()] });
      setStatus({ shown: found.size, total });
    };
    reload.current = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void loadPoints(), 200);
    };

    map.on('moveend', () => reload.current());
    map.on('render', updateBadges);
    map.on('click', 'ticket-points', (event) => {
      const feature = event.features?.[0] as MapGeoJSONFeature | undefined;
      const id = feature?.properties.id as string | undefined;
      if (id) latest.current.onOpen(id);
    });
    map.on('click', 'ticket-clusters', (event) => {
      const feature = event.features?.[0];
      const clusterId = feature?.properties.cluster_id as number | undefined;
      if (clusterId === undefined || !feature) return;
      void (map.getSource('tickets') as GeoJSONSource)
        .getClusterExpansionZoom(clusterId)
        .then((zoom) => map.easeTo({ center: (feature.geometry as GeoJSON.Point).coordinates as [number, number], zoom }));
    });
    for (const layer of ['ticket-points', 'ticket-clusters']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
    return () => {
      clearTimeout(timer);
      abort?.abort();
      map.remove();
      mapRef.current = null;
    };
  }, [styleUrl, token, tickets]);

  // Frame the commune when it changes (and once the map exists).
  useEffect(() => {
    const map = mapRef.current;
    const commune = communes.find((c) => c.id === communeId);
    if (map && commune) map.fitBounds(boundsOf(commune.boundary), { padding: 24, duration: 0 });
  }, [communeId, communes, styleUrl, token]);

  useEffect(() => reload.current(), [filter]);

  useEffect(() => {
    mapRef.current?.resize();
  }, [layoutKey]);

  // Live: a changed ticket moves or recolours its point; a new one inside the view appears.
  useEffect(
    () =>
      live.listen({
        ticket: ({ ticket }) => {
          const map = mapRef.current;
          if (!map || ticket.communeId !== latest.current.communeId) return;
          const feature = toFeature(ticket);
          const inView = feature && map.getBounds().contains(feature.geometry.coordinates as [number, number]);
          if (!points.current.has(ticket.id) && !inView) return;
          // Whether it still matches the filters is the server's call: reload the view.
          reload.current();
        },
      }),
    [live],
  );

  // The open ticket gets a pin above the circles, and the map brings it into view.
  useEffect(() => {
    const map = mapRef.current;
    const location = openTicket?.location;
    if (!map || !openTicket || !location) return;
    const element = document.createElement('div');
    element.className = 'ticket-pin';
    element.dataset.ticketId = openTicket.id;
    element.title = openTicket.reference;
    element.style.setProperty('--pin-colour', statusColours[openTicket.status]);
    const pin = new Marker({ element, anchor: 'bottom' }).setLngLat([location.lon, location.lat]).addTo(map);
    if (!map.getBounds().contains([location.lon, location.lat])) map.easeTo({ center: [location.lon, location.lat], duration: 300 });
    return () => {
      pin.remove();
    };
  }, [openTicket?.id, openTicket?.status, openTicket?.location?.lat, openTicket?.location?.lon]);

  const fit = () => {
    const commune = communes.find((c) => c.id === communeId);
    if (mapRef.current && commune) mapRef.current.fitBounds(boundsOf(commune.boundary), { padding: 24 });
  };

  return (
    <section className="ticket-map" aria-label={t('map.title')}>
      {failure ? (
        <p className="map-failure">{t('map.unavailable', { detail: failure })}</p>
      ) : (
        <div ref={container} className="map-canvas" data-testid="map" />
      )}
      <div className="map-footer">
        <span data-testid="map-count">
          {status === null
            ? t('map.loading')
            : status.shown < status.total
              ? t('map.truncated', { shown: status.shown, total: status.total })
              : t('map.count', { count: status.shown })}
        </span>
        <span className="legend" aria-label={t('map.legend')}>
          {(['new', 'triaged', 'assigned', 'in_progress', 'resolved'] as const).map((s) => (
            <span key={s} className="legend-item">
              <i style={{ background: statusColours[s] }} />
              {t(`status.${s}`)}
            </span>
          ))}
        </span>
        <button type="button" className="link" onClick={fit}>
          {t('map.fit')}
        </button>
      </div>
    </section>
  );
}
