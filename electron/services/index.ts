import type { AppMode } from '../contract/index.js';
import { AppInfoService } from './app-info.js';
import { ClusterService } from './clusters/cluster-service.js';
import { MemberService } from './clusters/member-service.js';
import { TalosService } from './clusters/talos-service.js';
import { DomainEvents } from './domain-events.js';
import { EventBus } from './events.js';
import { MachineService } from './machines/machine-service.js';
import { checkoutResources } from './paths.js';
import type { AgentFiles } from './agent-bundle.js';
import { openSecretBox, type Keychain } from './secrets/open-box.js';
import { ClusterStore } from './store/clusters.js';
import { openDatabase, type Db } from './store/database.js';
import { MachineStore } from './store/machines.js';
import { RunStore } from './store/runs.js';
import { RunHistory } from './store/run-history.js';
import { HostKeyStore } from './ssh/host-keys.js';
import { OnboardingService } from './onboarding/onboarding-service.js';
import { StatusService } from './status/status-service.js';
import { RemovalService } from './removal/removal-service.js';
import { machineAgentOpener } from './agents/connect-machine.js';
import { MeshService } from './mesh/mesh-service.js';
import { AgentMeshSource, type MeshSource } from './mesh/mesh-source.js';
import { MeshHistoryStore } from './store/mesh-history.js';
import { DiagnosisReportStore } from './store/diagnosis-reports.js';
import { DiagnosisService } from './diagnosis/diagnosis-service.js';
import { DiagnosisSchedule } from './diagnosis-schedule.js';
import { EvidenceGatherer } from './diagnosis/gather/gather-service.js';
import { SettingsService } from './settings/settings-service.js';
import { HealthService } from './health/health-service.js';
import { AgentLogService } from './agents/agent-logs.js';
import { EmbeddedDiscovery, type DiscoveryStartPolicy } from './discovery/embedded-discovery.js';

/** Everything the handlers delegate to; built once per backend process. */
export interface Services {
  events: EventBus;
  /** Inventory changes inside the backend (never forwarded to a UI). */
  inventory: DomainEvents;
  appInfo: AppInfoService;
  clusters: ClusterService;
  members: MemberService;
  /** The Talos machine config patch of a cluster, and clusters made from a Talos cluster's files. */
  talos: TalosService;
  machines: MachineService;
  onboarding: OnboardingService;
  hostKeys: HostKeyStore;
  status: StatusService;
  removal: RemovalService;
  /** The latest onboarding run of each machine, as stored. */
  runHistory: RunHistory;
  mesh: MeshService;
  diagnosis: DiagnosisService;
  settings: SettingsService;
  /** The one health model every screen, the tray and `spanwise status` read. */
  health: HealthService;
  agentLogs: AgentLogService;
  /** The discovery server run in-process for a cluster whose placement is embedded. */
  discovery: EmbeddedDiscovery;
  /** Stops the mesh watch and the embedded discovery (its final snapshot is written), and closes the inventory database. */
  close(): Promise<void>;
}

/** Options that select the backend's state and how it is shown. */
export interface ServiceOptions {
  mode: AppMode;
  dataDir: string;
  /** The OS keychain, offered by the desktop app; without it (CLI, web) secrets are sealed by a 0600 key file in the data dir. */
  keychain?: Keychain;
  /** The agent bundle and unit pushed to hosts; the checkout's by default (the packaged app passes its resources). */
  agentFiles?: AgentFiles;
  /** When embedded discovery runs: `follow` (the app, `spanwise web`; the default in Electron) or `on-demand` (one-shot CLI commands; the default otherwise). */
  discovery?: DiscoveryStartPolicy;
  /** Where the mesh view gets agent data; the agents of the cluster's machines by default (tests may pass a fake). */
  meshSource?: () => MeshSource;
  /** Diagnose by itself after onboarding and on the cluster's interval (the app and `spanwise web`; off by default). */
  diagnosisSchedule?: boolean;
}

/** Builds the services with their dependencies. */
export function createServices(options: ServiceOptions): Services {
  const db: Db = openDatabase(options.dataDir);
  const clusterStore = new ClusterStore(db);
  const { box: secrets, info: secretsInfo } = openSecretBox(options.dataDir, () => clusterStore.list()[0]?.secretSealed ?? null, options.keychain);
  const inventory = new DomainEvents();
  const clusters = new ClusterService(clusterStore, secrets, inventory);
  const machineStore = new MachineStore(db);
  const hostKeys = new HostKeyStore(db);
  const machines = new MachineService(machineStore, clusters, secrets, inventory, hostKeys);
  const runs = new RunStore(db);
  runs.failInterrupted();
  const events = new EventBus();
  const agentFiles = options.agentFiles ?? checkoutResources;
  const discovery = new EmbeddedDiscovery({
    dataDir: options.dataDir,
    clusters,
    policy: options.discovery ?? (options.mode === 'electron' ? 'follow' : 'on-demand'),
    events,
    inventory,
  });
  const onboarding = new OnboardingService({ clusters, machines, machineStore, runs, hostKeys, events, agentFiles, inventory, embeddedDiscovery: discovery });
  const opener = machineAgentOpener({ ca: () => clusters.secretsOf(clusters.current().name).ca, credentials: (m) => machines.credentials(m), hostKeys });
  const mesh = new MeshService({
    nodes: () => {
      const cluster = clusters.current().name;
      return { cluster, nodes: machineStore.list(cluster).map(({ name, site, role }) => ({ name, site, role })) };
    },
    source: options.meshSource ?? (() => new AgentMeshSource((name) => opener(machines.get(name)))),
    history: new MeshHistoryStore(db),
    events,
    inventory,
  });
  const diagnosis = new DiagnosisService({
    clusters,
    machineStore,
    reports: new DiagnosisReportStore(db),
    gatherer: new EvidenceGatherer(),
    events,
    opener,
    credentials: (m) => machines.credentials(m),
    hostKeys,
  });
  const health = new HealthService({
    events,
    mesh: () => mesh.snapshot(),
    lastReport: () => diagnosis.last(),
    mtu: () => {
      const cluster = clusters.current().name;
      const links = Object.fromEntries(machineStore.list(cluster).flatMap((m) => (m.underlayMtu ? [[m.name, m.underlayMtu]] : [])));
      return { configured: clusters.settings(cluster).mtu, links };
    },
  });
  discovery.follow();
  const schedule = options.diagnosisSchedule ? new DiagnosisSchedule({ diagnosis, clusters, machineStore, inventory }) : null;
  return {
    events,
    inventory,
    appInfo: new AppInfoService(options.mode, options.dataDir, agentFiles, secretsInfo, () => discovery.status()),
    clusters,
    members: new MemberService({ clusters, machineStore }),
    talos: new TalosService({ clusters, machineStore }),
    machines,
    hostKeys,
    onboarding,
    status: new StatusService({ clusters, machineStore, mesh, health }),
    removal: new RemovalService({ clusters, machines, machineStore, hostKeys, inventory, reports: new DiagnosisReportStore(db), events }),
    runHistory: new RunHistory(db),
    mesh,
    diagnosis,
    health,
    settings: new SettingsService({ clusters, machineStore, onboarding }),
    agentLogs: new AgentLogService({ machines, hostKeys, clusterSecret: () => clusters.secretsOf(clusters.current().name).secret }),
    discovery,
    close: async () => {
      schedule?.stop();
      await Promise.all([schedule?.current()]);
      health.dispose();
      await Promise.all([mesh.dispose(), discovery.close()]);
      db.close();
    },
  };
}
