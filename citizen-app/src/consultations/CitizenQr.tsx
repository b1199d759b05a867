import { encode } from 'uqr';
import { useMemo } from 'react';

/** The citizen's id as a QR code, for the agent who checks their identity document to scan. */
export function CitizenQr({ citizenId, label }: { citizenId: string; label: string }) {
  const path = useMemo(() => {
    const { data, size } = encode(citizenId, { ecc: 'M', border: 2 });
    let d = '';
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (data[y]![x]) d += `M${x} ${y}h1v1h-1z`;
    return { d, size };
  }, [citizenId]);
  return (
    <svg className="citizen-qr" viewBox={`0 0 ${path.size} ${path.size}`} role="img" aria-label={label} data-testid="citizen-qr" shapeRendering="crispEdges">
      <rect width={path.size} height={path.size} fill="#ffffff" />
      <path d={path.d} fill="#000000" />
    </svg>
  );
}
