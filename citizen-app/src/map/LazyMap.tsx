import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import type { MapViewProps } from './MapView.tsx';

// Fetched when a screen shows the map; the service worker downloads it ahead, after the first screen.
const MapView = lazy(() => import('./MapView.tsx'));

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
