import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import type { MapViewProps } from './MapView.tsx';

const loadMap = () => import('./MapView.tsx');
const MapView = lazy(loadMap);

/** Starts downloading the map code early (when a report begins), so the position screen opens fast and offline. */
export function prefetchMap(): void {
  if ((navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData) return;
  void loadMap().catch(() => undefined);
}

class MapBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** The map, or a sentence when its code cannot load (offline before first use) or the phone has no WebGL. */
export function LazyMap(props: MapViewProps & { fallback: ReactNode }) {
  const [unavailable, setUnavailable] = useState(false);
  if (unavailable) return <>{props.fallback}</>;
  return (
    <MapBoundary fallback={props.fallback}>
      <Suspense fallback={<div className="palabre-map palabre-map--loading" aria-hidden="true" />}>
        <MapView {...props} onUnavailable={() => setUnavailable(true)} />
      </Suspense>
    </MapBoundary>
  );
}
