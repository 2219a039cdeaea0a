import { useState, type ReactNode } from 'react';
import type { DiagnosisReport } from '../../electron/contract/index.js';
import { portLabels, type Cause, type PortKey } from '../topology/cause.js';
import { lane, pairWalls, type HopResult, type Lane } from '../topology/path.js';

const looks: Record<HopResult, { symbol: string; label: string }> = {
  pass: { symbol: '✓', label: 'passes' },
  drop: { symbol: '✕', label: 'dropped here' },
  'not-reached': { symbol: '–', label: 'never gets here' },
  unknown: { symbol: '?', label: 'not probed' },
};

function LaneRow({ lane: l }: { lane: Lane }) {
  return (
    <li className={`path-lane path-${l.reach}`} data-testid={`lane-${l.from}-${l.to}`} data-reach={l.reach}>
      <div className="path-lane-head">
        <strong>
          {l.from} → {l.to}
        </strong>{' '}
        {portLabels[l.key]}: {l.reach === 'open' ? '✓ arrives' : l.reach === 'blocked' ? '✕ blocked' : '? unknown'}
      </div>
      <ol className="path-hops">
        {l.hops.map((h, i) => (
          <li key={`${h.kind}-${i}`} className={`hop hop-${h.kind} hop-${h.result}`} data-result={h.result} data-testid={`hop-${l.from}-${l.to}-${h.label}`}>
            <span className="hop-mark" aria-hidden="true">
              {looks[h.result].symbol}
            </span>
            <span className="hop-name">{h.label}</span>
            <span className="hop-detail">{h.detail}</span>
            <span className="sr-only">{looks[h.result].label}</span>
          </li>
        ))}
      </ol>
    </li>
  );
}

/** Props of {@link PathView}. */
export interface PathViewProps {
  report: DiagnosisReport;
  cause: Cause;
  /** The mesh's nodes: a pair the address names must be two of them. */
  nodes: readonly string[];
  a: string;
  b: string;
  /** The relay node while the pair is relayed: the path view then shows both hops through it. */
  via?: string | undefined;
  onClose(): void;
}

function Closable({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  return (
    <section className="panel path-view" aria-labelledby="path-title" data-testid="path-view">
      <div className="panel-head">
        <h3 id="path-title">{title}</h3>
        <button type="button" onClick={onClose} aria-label="Close the path view">
          Close
        </button>
      </div>
      {children}
    </section>
  );
}

/** Why the address's pair has no path view, or null when it names two nodes of the mesh. */
function pairProblem(nodes: readonly string[], a: string, b: string): string | null {
  if (!a || !b || a === b) return `The address's path=${[a, b].filter(Boolean).join(',')} names no pair: give two different node names, as path=cloud2,dc1.`;
  const unknown = [a, b].filter((n) => !nodes.includes(n));
  if (unknown.length > 0) return `The address's path= names ${unknown.join(' and ')}, not in this mesh: open a pair from the matrix or the drawing.`;
  return null;
}

/**
 * Both directions of a pair as lanes across the hops (host firewall, NAT or
 * gateway, public net, the other side), each hop with its probe result; "with
 * the fix" shows what the diagnosis's fix for the pair's walls predicts.
 */
export function PathView(props: PathViewProps) {
  const problem = pairProblem(props.nodes, props.a, props.b);
  if (problem)
    return (
      <Closable title="Path view" onClose={props.onClose}>
        <p className="error" data-testid="path-problem">
          {problem}
        </p>
      </Closable>
    );
  return <Lanes {...props} />;
}

/** A relayed pair's two hops: each end dials the relay on the port, and the relay answers through the tunnels they open. */
function RelayHops({
  report,
  cause,
  a,
  b,
  via,
  port,
  off,
}: Omit<PathViewProps, 'nodes' | 'onClose'> & { via: string; port: PortKey; off: ReadonlySet<string> }) {
  return (
    <section className="path-relay" data-testid="path-relay" aria-labelledby="path-relay-title">
      <h4 id="path-relay-title">
        ↪ Relayed through {via}: {a} → {via} → {b}
      </h4>
      <p className="muted">
        Both ends dial {via}, which forwards between its tunnels to them; the traffic is encrypted on each hop. The direct lanes below are what the pair would
        need without the relay.
      </p>
      <ul className="path-lanes">
        <LaneRow lane={lane(report, cause, a, via, port, off)} />
        <LaneRow lane={lane(report, cause, b, via, port, off)} />
      </ul>
    </section>
  );
}

function Lanes({ report, cause, a, b, via, onClose }: PathViewProps) {
  const [key, setKey] = useState<PortKey>('udp51820');
  const [withFix, setWithFix] = useState(false);
  const walls = pairWalls(cause, a, b, key);
  const off = new Set(withFix ? walls : []);
  const fixes = [
    ...new Set(
      walls
        .map((id) => cause.walls.find((w) => w.id === id)?.findingId)
        .map((id) => report.findings.find((f) => f.id === id)?.remediation.summary)
        .filter((s): s is string => Boolean(s)),
    ),
  ];
  return (
    <Closable title={`Path ${a} ↔ ${b}`} onClose={onClose}>
      <div className="row">
        {(['udp51820', 'tcp50000'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="path-port" checked={key === k} onChange={() => setKey(k)} /> {portLabels[k]}
          </label>
        ))}
        <label>
          <input type="checkbox" checked={withFix} disabled={walls.length === 0} onChange={(e) => setWithFix(e.target.checked)} data-testid="path-with-fix" />{' '}
          With the fix {walls.length === 0 ? '(nothing to fix on this port)' : '(predicted, before Apply)'}
        </label>
      </div>
      {via && <RelayHops report={report} cause={cause} a={a} b={b} via={via} port={key} off={off} />}
      <ul className="path-lanes">
        <LaneRow lane={lane(report, cause, a, b, key, off)} />
        <LaneRow lane={lane(report, cause, b, a, key, off)} />
      </ul>
      {withFix && fixes.length > 0 && (
        <ul className="path-fix" data-testid="path-fix">
          {fixes.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
    </Closable>
  );
}
