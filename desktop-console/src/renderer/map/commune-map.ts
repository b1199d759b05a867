import { Map as MapLibre, Marker, NavigationControl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { CommuneInfo } from '../api/types.js';
import { boundaryCollections, labelPoint, localStyle, withToken } from './style.js';

export interface CommuneMapOptions {
  readonly container: HTMLElement;
  /** A remote style (with its token), or null for the local offline style. */
  readonly styleUrl: string | null;
  readonly token: string;
  /** The communes drawn, read at each style load (the caller may change them). */
  readonly communes: () => readonly CommuneInfo[];
  /** Adds the caller's own sources and layers, above the boundaries, at each style load. */
  readonly onStyle: (map: MapLibre) => void;
}

/** A name on the map as a DOM badge: offline there is no glyph server for text layers. */
export function domLabel(text: string, className: string, at: [number, number]): Marker {
  const element = document.createElement('div');
  element.className = className;
  element.textContent = text;
  return new Marker({ element }).setLngLat(at);
}

/**
 * The console's map of communes, shared by the tickets map and the consultation editor: the style
 * (a remote one falls back to the local one when it cannot load), commune and quartier boundaries
 * (sources `communes` and `quartiers`, layers `commune-fill`, `quartier-fill`, `quartier-line`,
 * `commune-line`) and quartier names. Throws when WebGL is missing; the caller says so.
 */
export function createCommuneMap({ container, styleUrl, token, communes, onStyle }: CommuneMapOptions): MapLibre {
  const map = new MapLibre({
    container,
    style: styleUrl ?? localStyle,
    center: [11.6, 3.98],
    zoom: 11,
    attributionControl: styleUrl ? {} : false,
    transformRequest: (url) => ({ url: withToken(url, token, styleUrl) }),
  });
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  const labels: Marker[] = [];
  map.on('style.load', () => {
    const all = communes();
    const collections = boundaryCollections(all);
    map.addSource('communes', { type: 'geojson', data: collections.communes });
    map.addSource('quartiers', { type: 'geojson', data: collections.quartiers });
    map.addLayer({ id: 'commune-fill', type: 'fill', source: 'communes', paint: { 'fill-color': '#ffffff', 'fill-opacity': styleUrl ? 0.05 : 0.8 } });
    map.addLayer({ id: 'quartier-fill', type: 'fill', source: 'quartiers', paint: { 'fill-color': '#dfe8f5', 'fill-opacity': styleUrl ? 0.1 : 0.6 } });
    map.addLayer({ id: 'quartier-line', type: 'line', source: 'quartiers', paint: { 'line-color': '#6b7f99', 'line-width': 1, 'line-dasharray': [3, 2] } });
    map.addLayer({ id: 'commune-line', type: 'line', source: 'communes', paint: { 'line-color': '#2d3f57', 'line-width': 2 } });
    for (const marker of labels.splice(0)) marker.remove();
    for (const c of all) {
      for (const q of c.quartiers) labels.push(domLabel(q.name, 'map-label quartier-label', labelPoint(q.boundary)).addTo(map));
    }
    onStyle(map);
  });
  map.on('error', (event) => {
    // A remote style that cannot load (offline, bad token) falls back to the local one.
    if (styleUrl && !map.isStyleLoaded() && String(event.error?.message ?? '').length > 0) map.setStyle(localStyle);
  });
  return map;
}
