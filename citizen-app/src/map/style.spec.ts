import { demoCommunes } from '@palabre/domain/reference/demo';
import { describe, expect, it } from 'vitest';
import type { CommuneRef } from '../api/types.ts';
import { statusColours } from './status-colours.ts';
import { localStyle } from './style.ts';

/** WCAG relative luminance and contrast ratio. */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

describe('the map style and status colours', () => {
  it('gives every status chip at least 4.5:1 contrast with its white text', () => {
    for (const [status, colour] of Object.entries(statusColours)) {
      expect(contrastWithWhite(colour), status).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('renders with nothing from the network: no glyphs, no sprites, no tiles, no text layers', () => {
    const style = localStyle(demoCommunes as unknown as CommuneRef[], [{ id: 'T1', lat: 5.45, lon: 10.05, status: 'new', mine: true }]);
    expect(style).not.toHaveProperty('glyphs');
    expect(style).not.toHaveProperty('sprite');
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\//);
    expect(style.layers.map((l) => l.type)).not.toContain('symbol');
    expect(style.sources.communes.data.features).toHaveLength(2 + 7);
  });
});
