/**
 * The one typed contract between the UI (renderer) and the backend.
 *
 * - Invoke channels (`domain:verb`): the renderer sends a request and gets an
 *   `InvokeResult`. Each request has a zod schema here, so the backend
 *   validates what crosses the boundary; each response has a type.
 * - Event channels (`domain:verb`): the backend pushes data to the UI.
 *
 * Electron IPC (preload) and the web mode's WebSocket carry exactly this.
 * The renderer imports this module with `import type` only.
 */
import type { z } from 'zod';
import type { ErrorEnvelope } from '../../agent/shared/errors.js';
import { appRequests, type AppInfo } from './app.js';
import { clusterRequests, type ClusterMembers, type ClusterSummary, type TalosImport, type TalosPatch } from './clusters.js';
import { machineRequests, type ImportedHost, type MachineSummary, type MachineTestResult } from './machines.js';
import { onboardingRequests, type OnboardingResult, type OnboardingRunView, type RemovalResult } from './onboarding.js';
import { statusRequests, type ClusterStatus } from './status.js';
import { meshRequests, type MeshSnapshot, type PairDetail } from './mesh.js';
import { settingsRequests, type SettingsView } from './settings.js';
import { healthRequests, type ClusterHealth } from './health.js';
import { diagnosisRequests, type DiagnosisReport, type FixResult, type FixRevertResult, type Remediation } from './diagnosis.js';
import type { EventChannel, Events } from './events.js';

export type { ErrorDetails, ErrorDetailValue, ErrorEnvelope } from '../../agent/shared/errors.js';
export { errorEnvelopeSchema } from './error-envelope.js';
export type { AppInfo, AppMode, Notice } from './app.js';
export type { ClusterMember, ClusterMembers, ClusterSummary, DiscoveryPlacement, TalosImport, TalosPatch } from './clusters.js';
export type { ClusterStatus, NodeStatus, PeerView } from './status.js';
export type { MeshNode, MeshPatch, MeshSnapshot, PairCode, PairDetail, PairHealthState, PairSample, PairState } from './mesh.js';
export type { ClusterSettings, SettingsView } from './settings.js';
export type { ClusterHealth, FindingScreen, FragilePair, FragileReason, MtuCheck, NodeHealth, PairCounts, SiteHealth } from './health.js';
export type {
  DiagnosisReport,
  Finding,
  FindingCause,
  FindingCode,
  FirewallKind,
  FixChange,
  FixResult,
  FixRevertResult,
  FixRule,
  HostFix,
  ReachabilityMatrix,
  RelayOffer,
  Remediation,
  Severity,
  SnippetTool,
  UpstreamSnippet,
} from './diagnosis.js';
export type { HostLeftover, OnboardingProgress, OnboardingResult, OnboardingRunView, OnboardingStep, RemovalResult, StepState } from './onboarding.js';
export type {
  ImportedHost,
  MachineCheck,
  MachineInput,
  MachinePatch,
  MachineRole,
  MachineState,
  MachineSummary,
  MachineTestResult,
  SiteKind,
  SshAuth,
  SshTarget,
} from './machines.js';
export { eventChannels, type EventChannel, type Events } from './events.js';

/** Request schemas of every invoke channel. */
export const requestSchemas = {
  ...appRequests,
  ...clusterRequests,
  ...machineRequests,
  ...onboardingRequests,
  ...statusRequests,
  ...meshRequests,
  ...diagnosisRequests,
  ...settingsRequests,
  ...healthRequests,
};

/** Response type of every invoke channel. */
export interface Responses {
  'app:info': AppInfo;
  'cluster:list': ClusterSummary[];
  'cluster:create': ClusterSummary;
  'cluster:select': ClusterSummary;
  'cluster:delete': void;
  'cluster:rekeyCa': ClusterSummary;
  'cluster:members': ClusterMembers;
  'cluster:talosPatch': TalosPatch;
  'cluster:createFromTalos': TalosImport;
  'machine:list': MachineSummary[];
  'machine:add': MachineSummary;
  'machine:update': MachineSummary;
  'machine:test': MachineTestResult;
  'machine:delete': void;
  'machine:importSshConfig': ImportedHost[];
  'node:onboard': OnboardingResult[];
  'node:cancel': { cancelled: boolean };
  'node:remove': RemovalResult;
  'node:cleanup': RemovalResult;
  'node:runs': OnboardingRunView[];
  'node:logs': { lines: string[] };
  'status:get': ClusterStatus;
  'mesh:get': MeshSnapshot;
  'mesh:pair': PairDetail;
  'diagnosis:run': DiagnosisReport;
  'diagnosis:last': DiagnosisReport | null;
  'fix:preview': Remediation;
  'fix:apply': FixResult;
  'fix:revert': FixRevertResult;
  'settings:get': SettingsView;
  'settings:update': { view: SettingsView; applied: OnboardingResult[] };
  'health:get': ClusterHealth;
}

export type InvokeChannel = keyof typeof requestSchemas;
export type RequestOf<C extends InvokeChannel> = z.input<(typeof requestSchemas)[C]>;
export type ResponseOf<C extends InvokeChannel> = Responses[C];

/** What every invoke returns across the boundary: a value or an error envelope. */
export type InvokeResult<T> = { ok: true; value: T } | { ok: false; error: ErrorEnvelope };

/** The API the renderer gets, in Electron (preload) and in web mode alike. */
export interface SpanwiseApi {
  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<InvokeResult<ResponseOf<C>>>;
  on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** Every invoke channel name, for transports that check names at runtime. */
export const invokeChannels = Object.keys(requestSchemas) as InvokeChannel[];

/** Frames of the web mode's WebSocket transport. */
export type WireFrame =
  | { kind: 'invoke'; id: number; channel: InvokeChannel; request: unknown }
  | { kind: 'result'; id: number; result: InvokeResult<unknown> }
  | { kind: 'event'; event: EventChannel; payload: unknown };
