import type { StyleSpecification } from 'maplibre-gl';
import type { Boundary } from '@palabre/domain';
import type { CommuneInfo } from '../api/types.js';
import type { OpenStatus } from '../api/types.js';

/** Marker colours by status (also the legend); colour-blind-safe pairs, finished tickets greyed. */
export const statusColours: Readonly<Record<OpenStatus, string>> = {
  new: '#d62728',
  reopened: '#e377c2',
  triaged: '#ff7f0e',
  assigned: '#1f77b4',
  in_progress: '#17becf',
  resolved: '#2ca02c',
  closed: '#7f7f7f',
  rejected: '#a0a0a0',
  duplicate: '#bcbd22',
};

/** Works offline: no tiles, no glyphs; boundaries and labels are added from the communes. */
export const localStyle: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1ea' } }],
};

export interface MapSettings {
  /** A style URL (https://…/style.json); empty for the local style. */
  readonly styleUrl: string;
  readonly token: string;
}

const settingsKey = 'palabre.mapSettings';

export function loadMapSettings(storage: Storage): MapSettings {
  try {
    const raw = JSON.parse(storage.getItem(settingsKey) ?? '{}') as Partial<MapSettings>;
    return { styleUrl: typeof raw.styleUrl === 'string' ? raw.styleUrl : '', token: typeof raw.token === 'string' ? raw.token : '' };
  } catch {
    return { styleUrl: '', token: '' };
  }
}

export function saveMapSettings(storage: Storage, settings: MapSettings): void {
  storage.setItem(settingsKey, JSON.stringify(settings));
}

/** The style the dispatcher chose, else the server's MAP_STYLE_URL, else the local style. Only http(s) URLs. */
export function effectiveStyleUrl(settings: MapSettings, serverStyleUrl: string | null): string | null {
  for (const candidate of [settings.styleUrl.trim(), serverStyleUrl?.trim() ?? '']) {
    if (candidate === '') continue;
    try {
      const url = new URL(candidate);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
    } catch {
      // An invalid URL in settings falls through to the next choice.
    }
  }
  return null;
}

/**
 * Adds the provider token to requests for the style's own host (and Mapbox/MapTiler APIs):
 * `{token}` placeholders are filled, otherwise the provider's query parameter is appended.
 */
export function withToken(resource: string, token: string, styleUrl: string | null): string {
  if (token === '') return resource;
  if (resource.includes('{token}')) return resource.replaceAll('{token}', encodeURIComponent(token));
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return resource;
  }
  const styleHost = styleUrl ? new URL(styleUrl).host : null;
  const host = url.host;
  if (host !== styleHost && !host.endsWith('mapbox.com') && !host.endsWith('maptiler.com')) return resource;
  const param = host.endsWith('maptiler.com') ? 'key' : 'access_token';
  if (!url.searchParams.has(param)) url.searchParams.set(param, token);
  return url.toString();
}

type Ring = readonly (readonly number[])[];

/** Where to put a name: the centre of the largest ring's bounding box (quartiers are compact shapes). */
export function labelPoint(boundary: Boundary): [number, number] {
  const polygons: readonly (readonly Ring[])[] = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  let best: [number, number] = [0, 0];
  let bestArea = -1;
  for (const polygon of polygons) {
    const ring = polygon[0] ?? [];
    const lons = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    if ((e - w) * (n - s) > bestArea) {
      bestArea = (e - w) * (n - s);
      best = [(w + e) / 2, (s + n) / 2];
    }
  }
  return best;
}

export function boundsOf(boundary: Boundary): [[number, number], [number, number]] {
  const rings = boundary.type === 'Polygon' ? [boundary.coordinates[0] ?? []] : boundary.coordinates.map((p) => p[0] ?? []);
  const points = rings.flat();
  const lons = points.map((p) => p[0]!);
  const lats = points.map((p) => p[1]!);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}

/** Our boundaries are deeply readonly; MapLibre's GeoJSON types are not (it never mutates them). */
const asGeometry = (boundary: Boundary) => boundary as unknown as GeoJSON.Geometry;

export function boundaryCollections(communes: readonly CommuneInfo[]): { communes: GeoJSON.FeatureCollection; quartiers: GeoJSON.FeatureCollection } {
  return {
    communes: {
      type: 'FeatureCollection',
      features: communes.map((c) => ({ type: 'Feature', id: c.id, properties: { id: c.id, name: c.name }, geometry: asGeometry(c.boundary) })),
    },
    quartiers: {
      type: 'FeatureCollection',
      features: communes.flatMap((c) =>
        c.quartiers.map((q) => ({ type: 'Feature' as const, properties: { id: q.id, name: q.name, communeId: c.id }, geometry: asGeometry(q.boundary) })),
      ),
    },
  };
}
