import { formatInstant } from '../format/words.ts';
import { yBounds, type Trend } from './trend.ts';

/** Axis labels: the date once, then only the time when the trend spans less than a day. */
function axisLabel(t: number, span: number, withDate: boolean): string {
  const full = formatInstant(new Date(t).toISOString(), span < 10 * 60_000);
  if (span >= 24 * 3_600_000 || withDate) return full;
  return full.slice(full.lastIndexOf(' ') + 1);
}

const W = 640;
const H = 200;
const M = { left: 56, right: 16, top: 16, bottom: 36 };

/**
 * One trend as SVG, drawn here (no chart library): lines, points with a tooltip each, three
 * horizontal grid lines with values, first and last time. Colours come from the stylesheet
 * (classes), so the chart works under `style-src 'self'`.
 */
export function TrendChart({ trend }: { trend: Trend }): React.JSX.Element {
  const all = trend.series.flatMap((s) => s.points);
  const times = all.map((p) => p.t);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const { min, max } = yBounds(all.map((p) => p.value));
  const x = (t: number): number => (t1 === t0 ? (M.left + W - M.right) / 2 : M.left + ((t - t0) / (t1 - t0)) * (W - M.left - M.right));
  const y = (v: number): number => M.top + (1 - (v - min) / (max - min)) * (H - M.top - M.bottom);
  const grid = [min + (max - min) * 0.1, (min + max) / 2, max - (max - min) * 0.1];
  const latest = trend.series.map((s) => `${s.name} ${s.points[s.points.length - 1]?.value ?? ''}`).join(', ');
  const label = `${trend.title} trend in ${trend.unit}: ${all.length} values from ${formatInstant(new Date(t0).toISOString())} to ${formatInstant(new Date(t1).toISOString())}; latest ${latest}.`;

  return (
    <figure className="trend" data-testid={`trend-${trend.id}`}>
      <figcaption className="trend-title">
        {trend.title} <span className="trend-unit">({trend.unit})</span>
        {trend.series.length > 1 && (
          <span className="trend-legend">
            {trend.series.map((s, i) => (
              <span key={s.name} className={`legend legend--${i}`}>
                {s.name}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <svg className="trend-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {grid.map((g) => (
          <g key={g}>
            <line className="trend-gridline" x1={M.left} x2={W - M.right} y1={y(g)} y2={y(g)} />
            <text className="trend-axis" x={M.left - 8} y={y(g) + 5} textAnchor="end">
              {Number(g.toFixed(1))}
            </text>
          </g>
        ))}
        <text className="trend-axis" x={M.left} y={H - 10}>
          {axisLabel(t0, t1 - t0, true)}
        </text>
        {t1 !== t0 && (
          <text className="trend-axis" x={W - M.right} y={H - 10} textAnchor="end">
            {axisLabel(t1, t1 - t0, false)}
          </text>
        )}
        {trend.series.map((s, i) => (
          <g key={s.name} className={`series series--${i}`}>
            {s.points.length > 1 && <polyline className="trend-line" points={s.points.map((p) => `${x(p.t)},${y(p.value)}`).join(' ')} />}
            {s.points.map((p) => (
              <circle key={`${p.readingId}-${p.t}`} className="trend-point" cx={x(p.t)} cy={y(p.value)} r={5}>
                <title>{`${s.name} ${p.value} ${trend.unit} · ${formatInstant(new Date(p.t).toISOString())}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
    </figure>
  );
}
