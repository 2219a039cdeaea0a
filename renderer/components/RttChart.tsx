import type { PairSample } from '../../electron/contract/index.js';
import { timeScale } from './time-scale.js';

const width = 520;
const height = 90;
const pad = { left: 56, right: 8, top: 10, bottom: 8 };

/** A pair's round trip through the mesh over time, in SVG; gaps where it was not measured. */
export function RttChart({ samples }: { samples: PairSample[] }) {
  const measured = samples.filter((s): s is PairSample & { rttMs: number } => s.rttMs !== null);
  if (measured.length === 0) return <p className="muted">No round trip measured yet.</p>;
  const { times, t0, t1, x } = timeScale(samples, pad.left, width - pad.right);
  const peak = Math.max(...measured.map((s) => s.rttMs));
  const low = Math.min(...measured.map((s) => s.rttMs));
  const y = (ms: number) => pad.top + (1 - ms / peak) * (height - pad.top - pad.bottom);
  let path = '';
  samples.forEach((s, i) => {
    if (s.rttMs === null) return;
    const joined = i > 0 && samples[i - 1]?.rttMs !== null;
    path += `${joined ? 'L' : 'M'}${x(times[i] as number).toFixed(1)},${y(s.rttMs).toFixed(1)}`;
  });
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Round trip from ${low.toFixed(1)} to ${peak.toFixed(1)} ms over ${Math.round((t1 - t0) / 60000)} minutes`}
        data-testid="rtt-chart"
      >
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        <text x={pad.left - 6} y={y(peak) + 4} textAnchor="end" className="chart-label">
          {peak.toFixed(1)} ms
        </text>
        <text x={pad.left - 6} y={y(0)} textAnchor="end" className="chart-label">
          0
        </text>
        <path d={path} className="chart-rx" />
        {measured.length === 1 && <circle cx={x(Date.parse(measured[0]?.at ?? ''))} cy={y(peak)} r={3} className="chart-point" />}
      </svg>
    </figure>
  );
}
