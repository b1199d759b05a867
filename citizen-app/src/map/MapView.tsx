import { LngLat, Map as MapLibre, Marker, setWorkerUrl, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef } from 'react';
import type { CommuneRef } from '../api/types.ts';
import { localStyle, pointFeatures, type MapPoint } from './style.ts';

setWorkerUrl(workerUrl);

export interface MapViewProps {
  center: { lat: number; lon: number };
  zoom?: number;
  communes: readonly CommuneRef[];
  points?: readonly MapPoint[];
  /** A draggable pin; tapping the map moves it too. */
  pin?: { lat: number; lon: number } | null;
  onPinMove?: (position: { lat: number; lon: number }) => void;
  onPointSelect?: (id: string) => void;
  /** Read by screen readers; the screens also give the same information as text. */
  label: string;
  onUnavailable?: () => void;
}

/** MapLibre over a local style (commune boundaries, report dots). Loaded only by the screens that show a map. */
export default function MapView({ center, zoom = 15, communes, points = [], pin, onPinMove, onPointSelect, label, onUnavailable }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibre | null>(null);
  const marker = useRef<Marker | null>(null);
  const callbacks = useRef({ onPinMove, onPointSelect });
  callbacks.current = { onPinMove, onPointSelect };

  useEffect(() => {
    if (!container.current) return;
    let instance: MapLibre;
    try {
      instance = new MapLibre({
        container: container.current,
        style: localStyle(communes, points) as StyleSpecification,
        center: [center.lon, center.lat],
        zoom,
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
      const hit = instance.queryRenderedFeatures(event.point, { layers: ['points'] })[0];
      const id = hit?.properties?.id;
      if (typeof id === 'string' && callbacks.current.onPointSelect) callbacks.current.onPointSelect(id);
      else callbacks.current.onPinMove?.({ lat: event.lngLat.lat, lon: event.lngLat.lng });
    });
    map.current = instance;
    return () => {
      marker.current?.remove();
      marker.current = null;
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

  useEffect(() => {
    map.current?.easeTo({ center: [center.lon, center.lat] });
  }, [center.lat, center.lon]);

  return <div ref={container} className="palabre-map" role="img" aria-label={label} />;
}
