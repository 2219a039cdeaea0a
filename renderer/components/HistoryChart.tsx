import type { PairSample } from '../../electron/contract/index.js';
import { formatRate } from '../format.js';
import { stateLooks } from '../states.js';
import { timeScale } from './time-scale.js';

const width = 520;
const height = 140;
const pad = { left: 56, right: 8, top: 10, bottom: 26 };

/**
 * A pair's history in SVG: rx and tx rates as lines, and the state as a band
 * along the bottom (each state with its symbol in the table below for screen readers).
 */
export function HistoryChart({ samples }: { samples: PairSample[] }) {
  if (samples.length === 0) return <p className="muted">No history yet.</p>;
  const { times, t0, t1, x } = timeScale(samples, pad.left, width - pad.right);
  const peak = Math.max(1, ...samples.flatMap((s) => [s.rxRate, s.txRate]));
  const y = (v: number) => pad.top + (1 - v / peak) * (height - pad.top - pad.bottom - 8);
  const line = (pick: (s: PairSample) => number) =>
    samples.map((s, i) => `${i ? 'L' : 'M'}${x(times[i] as number).toFixed(1)},${y(pick(s)).toFixed(1)}`).join('');
  const band = height - pad.bottom - 6;
  const down = samples.filter((s) => s.state === 'down').length;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Traffic over ${Math.round((t1 - t0) / 60000)} minutes: peak ${formatRate(peak)}; ${down} of ${samples.length} samples down`}
      >
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        <text x={pad.left - 6} y={y(peak) + 4} textAnchor="end" className="chart-label">
          {formatRate(peak)}
        </text>
        <text x={pad.left - 6} y={y(0) + 4} textAnchor="end" className="chart-label">
          0
        </text>
        <path d={line((s) => s.rxRate)} className="chart-rx" />
        <path d={line((s) => s.txRate)} className="chart-tx" strokeDasharray="5 3" />
        {samples.map((s, i) => {
          const next = times[i + 1] ?? t1;
          return (
            <rect
              key={i}
              x={x(times[i] as number)}
              y={band}
              width={Math.max(1, x(next) - x(times[i] as number))}
              height={6}
              className={`band-${stateLooks[s.state].tone}`}
            />
          );
        })}
        <text x={pad.left} y={height - 4} className="chart-label">
          {new Date(t0).toLocaleTimeString()}
        </text>
        <text x={width - pad.right} y={height - 4} textAnchor="end" className="chart-label">
          {new Date(t1).toLocaleTimeString()}
        </text>
      </svg>
      <figcaption>
        <span className="key key-rx">— rx</span> <span className="key key-tx">- - tx</span> <span className="muted">band: state over time</span>
      </figcaption>
    </figure>
  );
}
