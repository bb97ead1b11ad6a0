import { formatInstant } from '../format/words.ts';
import { axisOf, type Trend } from './trend.ts';

/** Axis labels: the date once, then only the time when the trend spans less than a day. */
function axisLabel(t: number, span: number, withDate: boolean): string {
  const full = formatInstant(new Date(t).toISOString(), span < 10 * 60_000);
  if (span >= 24 * 3_600_000 || withDate) return full;
  return full.slice(full.lastIndexOf(' ') + 1);
}

const W = 640;
const H = 200;
const M = { left: 56, right: 16, top: 16, bottom: 36 };

const rangeText = (r: { low?: number; high?: number }): string =>
  r.low !== undefined && r.high !== undefined ? `${r.low}–${r.high}` : r.low !== undefined ? `≥ ${r.low}` : `≤ ${r.high ?? ''}`;

/**
 * One trend as SVG, drawn here (no chart library): the reference range as a shaded band behind
 * each series, lines, points with a tooltip each, the value axis from trend-axis.ts, first and
 * last time. An impossible value is drawn at the hard limit as a hollow triangle and named in
 * its tooltip, so it neither stretches the axis nor passes for a real value. Colours come from
 * the stylesheet (classes), so the chart works under `style-src 'self'`.
 */
export function TrendChart({ trend }: { trend: Trend }): React.JSX.Element {
  const all = trend.series.flatMap((s) => s.points);
  const times = all.map((p) => p.t);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const { min, max, ticks } = axisOf(trend);
  const x = (t: number): number => (t1 === t0 ? (M.left + W - M.right) / 2 : M.left + ((t - t0) / (t1 - t0)) * (W - M.left - M.right));
  const y = (v: number): number => M.top + (1 - (Math.min(max, Math.max(min, v)) - min) / (max - min)) * (H - M.top - M.bottom);
  const latest = trend.series.map((s) => `${s.name} ${s.points[s.points.length - 1]?.value ?? ''}`).join(', ');
  const bands = trend.series.flatMap((s, i) => (s.reference ? [{ name: s.name, i, range: s.reference }] : []));
  const bandText = bands.map((b) => `${trend.series.length > 1 ? `${b.name} ` : ''}${rangeText(b.range)}`).join(', ');
  const clipped = all.filter((p) => p.clipped).length;
  const label =
    `${trend.title} trend in ${trend.unit}: ${all.length} values from ${formatInstant(new Date(t0).toISOString())} to ${formatInstant(new Date(t1).toISOString())}; latest ${latest}.` +
    (bandText ? ` Reference range ${bandText}.` : '') +
    (clipped > 0 ? ` ${clipped} impossible value${clipped > 1 ? 's' : ''} drawn at the edge.` : '');

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
        {bandText && <span className="trend-band-legend">Shaded: reference range {bandText}</span>}
        {clipped > 0 && <span className="trend-clipped-legend">△ impossible value, drawn at the edge</span>}
      </figcaption>
      <svg className="trend-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {bands.map((b) => {
          const top = y(b.range.high ?? max);
          const bottom = y(b.range.low ?? min);
          return (
            <rect key={b.name} className={`trend-band trend-band--${b.i}`} data-testid="trend-band" x={M.left} width={W - M.left - M.right} y={top} height={Math.max(1, bottom - top)}>
              <title>{`Reference range${trend.series.length > 1 ? ` ${b.name}` : ''}: ${rangeText(b.range)} ${trend.unit}`}</title>
            </rect>
          );
        })}
        {ticks.map((g) => (
          <g key={g}>
            <line className="trend-gridline" x1={M.left} x2={W - M.right} y1={y(g)} y2={y(g)} />
            <text className="trend-axis" data-testid="trend-tick" x={M.left - 8} y={y(g) + 5} textAnchor="end">
              {g}
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
            {s.points.length > 1 && <polyline className="trend-line" points={s.points.map((p) => `${x(p.t)},${y(p.shown)}`).join(' ')} />}
            {s.points.map((p) => {
              const when = formatInstant(new Date(p.t).toISOString());
              if (p.clipped) {
                const cx = x(p.t);
                const cy = y(p.shown);
                const up = p.shown >= (min + max) / 2;
                const tip = up ? `${cx},${cy - 2} ${cx - 7},${cy + 10} ${cx + 7},${cy + 10}` : `${cx},${cy + 2} ${cx - 7},${cy - 10} ${cx + 7},${cy - 10}`;
                return (
                  <polygon key={`${p.readingId}-${p.t}`} className="trend-point--clipped" data-testid="trend-clipped" points={tip}>
                    <title>{`${s.name} ${p.value} ${trend.unit} · ${when} — impossible value (outside what can be measured), drawn at ${p.shown}`}</title>
                  </polygon>
                );
              }
              return (
                <circle key={`${p.readingId}-${p.t}`} className="trend-point" cx={x(p.t)} cy={y(p.shown)} r={5}>
                  <title>{`${s.name} ${p.value} ${trend.unit} · ${when}`}</title>
                </circle>
              );
            })}
          </g>
        ))}
      </svg>
    </figure>
  );
}
