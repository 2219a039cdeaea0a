import { useEffect } from 'react';
import type { DiagnosisReport, Finding } from '../../electron/contract/index.js';
import { formatAge, formatBytes, formatRate } from '../format.js';
import { useDiagnosisStore } from '../store/diagnosis-slice.js';
import { useMeshStore, type PairPanel } from '../store/mesh-slice.js';
import { Address } from './Address.js';
import { ErrorNote } from './ErrorNote.js';
import { PathViewLink } from './PathViewLink.js';
import { FindingSummary } from './FindingSummary.js';
import { HistoryChart } from './HistoryChart.js';
import { RttChart } from './RttChart.js';
import { StateBadge } from './StateBadge.js';

/** The findings of a report about one ordered pair: those of the pair, and those naming both of its nodes. */
export function pairFindings(report: DiagnosisReport | null, from: string, to: string): Finding[] {
  return (report?.findings ?? []).filter(
    (f) => (f.pair && f.pair.from === from && f.pair.to === to) || (!f.pair && f.nodes.includes(from) && f.nodes.includes(to)),
  );
}

/** The pair opened from any screen (a matrix cell), with the findings of the backend's last diagnosis; Escape closes it. */
export function OpenPairPanel() {
  const pair = useMeshStore((s) => s.pair);
  const closePair = useMeshStore((s) => s.closePair);
  const report = useDiagnosisStore((s) => s.report);
  const loadLast = useDiagnosisStore((s) => s.loadLast);
  const open = pair !== null;
  useEffect(() => {
    if (open && !report) void loadLast();
  }, [open, report, loadLast]);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('dialog[open]')) closePair();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, closePair]);
  return pair && <PairDetailPanel pair={pair} findings={pairFindings(report, pair.from, pair.to)} onClose={closePair} />;
}

/** One ordered pair in detail: what `mesh:pair` says, the findings that name it, and its history. */
export function PairDetailPanel({ pair, findings, onClose }: { pair: PairPanel; findings: Finding[]; onClose(): void }) {
  const { detail } = pair;
  return (
    <section className="panel pair-detail" aria-labelledby="pair-title" data-testid="pair-detail">
      <div className="panel-head">
        <h3 id="pair-title">
          {pair.from} → {pair.to}
        </h3>
        <button type="button" onClick={onClose} aria-label="Close pair detail" aria-keyshortcuts="Escape">
          Close
        </button>
      </div>
      <PathViewLink from={pair.from} to={pair.to} />
      {pair.error && <ErrorNote error={pair.error} />}
      {!detail && !pair.error && <p aria-busy="true">Loading…</p>}
      {detail && (
        <>
          <dl>
            <dt>State</dt>
            <dd data-testid="pair-state">
              <StateBadge state={detail.state} text={detail.via ? `relayed through ${detail.via}` : undefined} />
            </dd>
            {detail.via && (
              <>
                <dt>Relayed since</dt>
                <dd data-testid="pair-relayed-since">
                  {detail.relayedSince ? `${new Date(detail.relayedSince).toLocaleString()} (${formatAge(detail.relayedSince)})` : '—'}
                </dd>
              </>
            )}
            <dt>Endpoint</dt>
            <dd>
              <Address text={detail.endpoint} label="endpoint" />
            </dd>
            <dt>Last handshake</dt>
            <dd>{formatAge(detail.lastHandshake)}</dd>
            <dt>Rx / Tx</dt>
            <dd>
              {formatRate(detail.rxRate)} / {formatRate(detail.txRate)} ({formatBytes(detail.rx)} / {formatBytes(detail.tx)} total)
            </dd>
            <dt>{detail.via ? `Round trip through ${detail.via}` : 'Round trip'}</dt>
            <dd data-testid="pair-rtt">
              {detail.rttMs === null ? 'not measured' : `${detail.rttMs.toFixed(1)} ms`}
              {detail.via && detail.rttMs !== null && ` (both hops, ${detail.from} → ${detail.via} → ${detail.to})`}
            </dd>
            <dt>Why</dt>
            <dd>{detail.reason ?? '—'}</dd>
          </dl>
          <h4>History</h4>
          <HistoryChart samples={detail.history} />
          <h4>Round trip</h4>
          <RttChart samples={detail.history} />
        </>
      )}
      <h4>Findings</h4>
      {findings.length === 0 ? (
        <p className="muted">None for this pair in the last diagnosis.</p>
      ) : (
        findings.map((f) => <FindingSummary key={f.id} finding={f} />)
      )}
    </section>
  );
}
