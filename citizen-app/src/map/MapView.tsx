import { LngLat, LngLatBounds, Map as MapLibre, Marker, setWorkerUrl, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef } from 'react';
import type { CommuneRef } from '../api/types.ts';
import { localStyle, pointFeatures, type MapPoint } from './style.ts';

setWorkerUrl(workerUrl);

/** A place named on the map: the style has no glyphs (it renders offline), so its text is an HTML marker. */
export interface MapMarker {
  id: string;
  lat: number;
  lon: number;
  /** Short, in the marker's badge (a number). */
  badge: string;
  label: string;
  selected?: boolean;
  /** False for a marker that only shows a place; others are buttons when the map has `onPointSelect`. */
  selectable?: boolean;
}

export interface MapViewProps {
  /** Where the map opens; without it, the map frames its markers (it then needs at least one). */
  center?: { lat: number; lon: number };
  zoom?: number;
  communes: readonly CommuneRef[];
  points?: readonly MapPoint[];
  markers?: readonly MapMarker[];
  /** A draggable pin; tapping the map moves it too. */
  pin?: { lat: number; lon: number } | null;
  onPinMove?: (position: { lat: number; lon: number }) => void;
  /** A point or a selectable marker was tapped. */
  onPointSelect?: (id: string) => void;
  /** Read by screen readers; the screens also give the same information as text. */
  label: string;
  onUnavailable?: () => void;
}

const noMarkers: readonly MapMarker[] = [];

/** MapLibre over a local style (commune boundaries, report dots, named markers). Loaded only by the screens that show a map. */
export default function MapView({ center, zoom = 15, communes, points = [], markers = noMarkers, pin, onPinMove, onPointSelect, label, onUnavailable }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibre | null>(null);
  const marker = useRef<Marker | null>(null);
  const named = useRef(new Map<string, Marker>());
  const callbacks = useRef({ onPinMove, onPointSelect });
  callbacks.current = { onPinMove, onPointSelect };

  useEffect(() => {
    if (!container.current) return;
    let instance: MapLibre;
    try {
      instance = new MapLibre({
        container: container.current,
        style: localStyle(communes, points) as StyleSpecification,
        ...(center ? { center: [center.lon, center.lat] as [number, number], zoom } : { bounds: boundsOf(markers), fitBoundsOptions: markerPadding }),
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
      });
    } catch {
      // No WebGL on this phone: the screen falls back to text.
      onUnavailable?.();
      return;
    }
    instance.touchZoomRotate.disableRotation();
    instance.on('click', (event) => {
      // A marker is its own button: its tap is not a tap on the map beneath.
      if (event.originalEvent.target instanceof Element && event.originalEvent.target.closest('.palabre-marker')) return;
      const hit = instance.queryRenderedFeatures(event.point, { layers: ['points'] })[0];
      const id = hit?.properties?.id;
      if (typeof id === 'string' && callbacks.current.onPointSelect) callbacks.current.onPointSelect(id);
      else callbacks.current.onPinMove?.({ lat: event.lngLat.lat, lon: event.lngLat.lng });
    });
    map.current = instance;
    return () => {
      marker.current?.remove();
      marker.current = null;
      for (const m of named.current.values()) m.remove();
      named.current.clear();
      instance.remove();
      map.current = null;
    };
    // The map is created once; later prop changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    if (!pin) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    if (!marker.current) {
      const element = document.createElement('div');
      element.className = 'palabre-pin';
      element.setAttribute('aria-hidden', 'true');
      marker.current = new Marker({ element, draggable: Boolean(onPinMove), anchor: 'bottom' }).setLngLat([pin.lon, pin.lat]).addTo(instance);
      marker.current.on('dragend', () => {
        const at = marker.current?.getLngLat();
        if (at) callbacks.current.onPinMove?.({ lat: at.lat, lon: at.lng });
      });
    } else {
      marker.current.setLngLat([pin.lon, pin.lat]);
    }
    if (!instance.getBounds().contains(new LngLat(pin.lon, pin.lat))) instance.easeTo({ center: [pin.lon, pin.lat] });
  }, [pin?.lat, pin?.lon, pin, onPinMove]);

  useEffect(() => {
    const source = map.current?.getSource('points') as GeoJSONSource | undefined;
    source?.setData(pointFeatures(points) as never);
  }, [points]);

  // Markers are updated in place, so the one just tapped keeps the focus when it becomes selected.
  const selecting = Boolean(onPointSelect);
  useEffect(() => {
    const instance = map.current;
    if (!instance) return;
    const previous = named.current;
    const next = new Map<string, Marker>();
    for (const m of markers) {
      const selectable = selecting && m.selectable !== false;
      let shown = previous.get(m.id);
      previous.delete(m.id);
      if (shown && (shown.getElement() instanceof HTMLButtonElement) !== selectable) {
        shown.remove();
        shown = undefined;
      }
      if (shown) {
        shown.setLngLat([m.lon, m.lat]);
      } else {
        const element = document.createElement(selectable ? 'button' : 'div');
        if (selectable) element.addEventListener('click', () => callbacks.current.onPointSelect?.(m.id));
        shown = new Marker({ element, anchor: 'bottom', offset: markerTip }).setLngLat([m.lon, m.lat]).addTo(instance);
      }
      describeMarker(shown.getElement(), m);
      next.set(m.id, shown);
    }
    for (const gone of previous.values()) gone.remove();
    named.current = next;
  }, [markers, selecting]);

  useEffect(() => {
    if (center) map.current?.easeTo({ center: [center.lon, center.lat] });
  }, [center?.lat, center?.lon]);

  // With markers the map holds buttons, which an image would hide from screen readers.
  return <div ref={container} className="palabre-map" role={markers.length > 0 ? 'group' : 'img'} aria-label={label} />;
}

/** A marker's tip is 8 px below its box (theme.css): its end is on the point. */
const markerTip: [number, number] = [0, -8];

/** Room around the markers when the map frames them: a marker stands above its point, its label wider than it. */
const markerPadding = { padding: { top: 72, bottom: 24, left: 96, right: 96 }, maxZoom: 16 };

function boundsOf(markers: readonly MapMarker[]): LngLatBounds {
  const bounds = new LngLatBounds();
  for (const m of markers) bounds.extend([m.lon, m.lat]);
  return bounds;
}

/** A badge and a label over a point; when it is a button, pressed while its option is selected. */
function describeMarker(element: HTMLElement, m: MapMarker): void {
  // classList: MapLibre keeps its own classes on the element.
  element.classList.add('palabre-marker');
  element.classList.toggle('palabre-marker--selected', Boolean(m.selected));
  element.dataset.markerId = m.id;
  element.title = m.label;
  const badge = document.createElement('span');
  badge.className = 'palabre-marker-badge';
  badge.textContent = m.badge;
  const label = document.createElement('span');
  label.className = 'palabre-marker-label';
  label.textContent = m.label;
  element.replaceChildren(badge, label);
  if (element instanceof HTMLButtonElement) {
    element.type = 'button';
    element.setAttribute('aria-pressed', String(Boolean(m.selected)));
  }
}
