/** Small SVG charts: no chart library, readable at 1366×768, labelled for screen readers. */

export interface Series {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
}

export function DailyBars<T extends { day: string }>({
  rows,
  series,
  value,
  dayLabel,
  title,
}: {
  rows: readonly T[];
  series: readonly Series[];
  value: (row: T, key: string) => number;
  dayLabel: (day: string) => string;
  title: string;
}) {
  // Wide enough for 90 days at 1366 px; the SVG scales down on smaller screens.
  const width = 1300;
  const height = 190;
  const pad = { left: 30, right: 8, top: 10, bottom: 26 };
  const max = Math.max(1, ...rows.flatMap((r) => series.map((s) => value(r, s.key))));
  const slot = (width - pad.left - pad.right) / Math.max(1, rows.length);
  const bar = Math.max(1, (slot - 2) / series.length);
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const labelEvery = Math.ceil(rows.length / 10);
  const ticks = [0, Math.round(max / 2), max];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} className="grid-line" />
            <text x={pad.left - 4} y={y(tick) + 4} textAnchor="end" className="axis">
              {tick}
            </text>
          </g>
        ))}
        {rows.map((row, i) => (
          <g key={row.day}>
            {series.map((s, j) => {
              const v = value(row, s.key);
              return (
                <rect key={s.key} x={pad.left + i * slot + 1 + j * bar} y={y(v)} width={bar} height={Math.max(0, height - pad.bottom - y(v))} fill={s.colour}>
                  <title>{`${dayLabel(row.day)} — ${s.label}: ${v}`}</title>
                </rect>
              );
            })}
            {i % labelEvery === 0 && (
              <text x={pad.left + i * slot + slot / 2} y={height - 8} textAnchor="middle" className="axis">
                {dayLabel(row.day)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.key} className="legend-item">
            <i style={{ background: s.colour }} />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export interface BarRow {
  readonly id: string;
  readonly label: string;
  readonly value: number;
  /** Part of the value shown darker (e.g. resolved among received). */
  readonly part?: number;
  readonly note?: string;
}

export function HorizontalBars({ rows, title, testId }: { rows: readonly BarRow[]; title: string; testId?: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <table className="hbars" aria-label={title} data-testid={testId}>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-id={r.id}>
            <th scope="row">{r.label}</th>
            <td className="hbar-cell">
              <span className="hbar" style={{ width: `${(100 * r.value) / max}%` }}>
                {r.part !== undefined && <span className="hbar-part" style={{ width: `${r.value === 0 ? 0 : (100 * r.part) / r.value}%` }} />}
              </span>
            </td>
            <td className="num">{r.value}</td>
            <td className="muted">{r.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One headline figure with what it counts. */
export function Kpi({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <span className="kpi-value">{value}</span>
      <span className="kpi-label">{label}</span>
    </div>
  );
}
