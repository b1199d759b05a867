import type { Boundary } from '@palabre/domain/geo/geometry';
import type { CommuneRef, TicketStatus } from '../api/types.ts';
import { statusColours } from './status-colours.ts';

export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  status: TicketStatus;
  mine: boolean;
}

type Feature = { type: 'Feature'; id?: string | number; properties: Record<string, unknown>; geometry: Boundary | { type: 'Point'; coordinates: [number, number] } };
export type FeatureCollection = { type: 'FeatureCollection'; features: Feature[] };

/** Communes filled, quartiers outlined: the only geography we have without a tile server. */
export function communeFeatures(communes: readonly CommuneRef[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: communes.flatMap((commune) => [
      { type: 'Feature' as const, properties: { kind: 'commune', id: commune.id }, geometry: commune.boundary },
      ...commune.quartiers.map((q) => ({ type: 'Feature' as const, properties: { kind: 'quartier', id: q.id }, geometry: q.boundary })),
    ]),
  };
}

export function pointFeatures(points: readonly MapPoint[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature' as const,
      properties: { id: p.id, status: p.status, mine: p.mine },
      geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] as [number, number] },
    })),
  };
}

/** A style with no remote resources and no glyphs: it renders offline. */
export function localStyle(communes: readonly CommuneRef[], points: readonly MapPoint[]) {
  const colour: unknown[] = ['match', ['get', 'status']];
  for (const [status, value] of Object.entries(statusColours)) colour.push(status, value);
  colour.push('#4d4d4d');
  return {
    version: 8 as const,
    sources: {
      communes: { type: 'geojson' as const, data: communeFeatures(communes) },
      points: { type: 'geojson' as const, data: pointFeatures(points) },
    },
    layers: [
      { id: 'background', type: 'background' as const, paint: { 'background-color': '#eef0eb' } },
      { id: 'commune-fill', type: 'fill' as const, source: 'communes', filter: ['==', ['get', 'kind'], 'commune'], paint: { 'fill-color': '#dcebdf' } },
      { id: 'quartier-line', type: 'line' as const, source: 'communes', filter: ['==', ['get', 'kind'], 'quartier'], paint: { 'line-color': '#7d9b88', 'line-width': 1, 'line-dasharray': [2, 2] } },
      { id: 'commune-line', type: 'line' as const, source: 'communes', filter: ['==', ['get', 'kind'], 'commune'], paint: { 'line-color': '#0b6e4f', 'line-width': 2 } },
      {
        id: 'points',
        type: 'circle' as const,
        source: 'points',
        paint: {
          'circle-radius': ['case', ['get', 'mine'], 9, 7],
          'circle-color': colour,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
    ],
  };
}
