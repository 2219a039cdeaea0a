import * as z from 'zod';
import type { ErrorEnvelope } from '../../agent/shared/errors.js';
import { portNumber } from './numbers.js';
import type { ClusterSettings } from './settings.js';

/** Where a cluster's discovery service runs. */
export const discoveryPlacementSchema = z.discriminatedUnion('mode', [
  /**
   * On one of the cluster's nodes; `node` empty = the first cloud node that accepts inbound TCP on the port.
   * TLS with a certificate of the cluster CA, which agents verify, unless `tls: false`: plain h2c (a LAN you trust).
   * Absent means TLS (clusters stored before the choice existed get it on their next onboarding).
   */
  z
    .object({
      mode: z.literal('node'),
      node: z.string().max(63).optional(),
      port: portNumber().default(3000),
      tls: z.boolean().optional(),
    })
    .strict(),
  /**
   * Inside the desktop backend (the app or `spanwise web`), for a LAN: served on every interface
   * on `port` while it runs. `address` is how the nodes reach this desktop; empty = learned per node
   * from its SSH session (checked from the node before it is written into the agent config).
   */
  z
    .object({
      mode: z.literal('embedded'),
      port: portNumber().default(3000),
      address: z
        .string()
        .max(253)
        .regex(
          /^(?:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$/,
          'use an IP address or a DNS name',
        )
        .optional(),
    })
    .strict(),
  /** An external service, e.g. the public Talos one: `https://host[:port]` or `host:port`. */
  z.object({ mode: z.literal('url'), url: z.string().min(3).max(255) }).strict(),
]);
export type DiscoveryPlacement = z.output<typeof discoveryPlacementSchema>;

/** The discovery service this backend runs in-process for the current cluster (placement `embedded`). */
export interface EmbeddedDiscoveryStatus {
  cluster: string;
  port: number;
  /**
   * running: served by this process; elsewhere: another Spanwise process on the same data dir
   * serves it (the app or `spanwise web`); failed: it could not start (`error` says why); stopped.
   */
  state: 'running' | 'elsewhere' | 'failed' | 'stopped';
  /** Members registered (all clusters of the server), when running here. */
  affiliates: number;
  /** The snapshot file in the data dir. */
  stateFile: string;
  error: ErrorEnvelope | null;
}

/** A cluster name: what people type and see. */
export const clusterNameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'use 1-63 lowercase letters, digits and dashes, starting and ending with a letter or digit');

/** A cluster as the UI sees it; never carries the secret or the CA key. */
export interface ClusterSummary {
  name: string;
  /** The KubeSpan cluster id (public; the secret is what protects the members). */
  clusterId: string;
  discovery: DiscoveryPlacement;
  /** PEM of the agent API CA certificate. */
  caCertificate: string;
  createdAt: string;
  machineCount: number;
  current: boolean;
}

/**
 * One member of a cluster as its discovery service lists it, decrypted with the cluster
 * secret: the nodes this app onboarded, and any other (Talos nodes, for instance).
 */
export interface ClusterMember {
  /** "ok"; "no-data" for an endpoint-only member; "undecryptable" when the cluster secret does not open it. */
  status: 'ok' | 'no-data' | 'undecryptable';
  hostname: string;
  nodename: string;
  operatingSystem: string;
  machineType: string;
  /** WireGuard public key, null when the member publishes no KubeSpan data. */
  publicKey: string | null;
  /** The member's KubeSpan (mesh) address. */
  meshAddress: string | null;
  /** Advertised endpoints, "ip:port". */
  endpoints: string[];
  /** The machine of this cluster's inventory it is (by node name), or null for a member onboarded elsewhere. */
  machine: string | null;
}

/** What `cluster:members` returns. */
export interface ClusterMembers {
  cluster: string;
  /** The discovery service asked (its URL). */
  discovery: string;
  members: ClusterMember[];
}

/** The largest Talos file `cluster:createFromTalos` takes, in characters (1 MiB); real ones are a few KiB. */
export const TALOS_CONFIG_MAX_CHARS = 1 << 20;

/**
 * What `cluster:talosPatch` returns: a Talos machine config patch (multi-document YAML, for
 * `talosctl patch mc --patch @FILE` or `talosctl gen config --config-patch @FILE`) that joins
 * Talos nodes to the cluster's mesh.
 */
export interface TalosPatch {
  cluster: string;
  /** `cluster.discovery.registries.service.endpoint`: the cluster's discovery service as Talos nodes reach it. */
  discoveryEndpoint: string;
  /** Whether the patch carries a TrustedRootsConfig document with the cluster CA (discovery on a node, with TLS). */
  trustedRoots: boolean;
  /** Whether `cluster.secret` holds the real secret; false: a placeholder, with a comment saying how to get it. */
  secretShown: boolean;
  patch: string;
  /** What the patch cannot carry (for example the extra discovery URLs: Talos takes one). */
  warnings: string[];
}

/** What `cluster:createFromTalos` made of a Talos file; never carries the secret. */
export interface TalosImport {
  cluster: ClusterSummary;
  /** What the file was: a `secrets.yaml` of `talosctl gen secrets`, or the machine type of a machine config. */
  source: 'secrets' | 'controlplane' | 'worker' | 'init';
  /** The mesh settings imported from `machine.network.kubespan` (defaults for a secrets.yaml). */
  settings: ClusterSettings;
  /** What the file says that Spanwise nodes cannot follow, or that keeps Talos nodes out of the mesh. */
  warnings: string[];
}

/** Requests of the cluster domain. */
export const clusterRequests = {
  'cluster:list': z.object({}).strict(),
  'cluster:create': z.object({ name: clusterNameSchema, discovery: discoveryPlacementSchema.default({ mode: 'node', port: 3000 }) }).strict(),
  'cluster:select': z.object({ name: clusterNameSchema }).strict(),
  'cluster:delete': z.object({ name: clusterNameSchema }).strict(),
  /** Replaces the agent API CA; re-onboard the nodes to give their agents new certificates. */
  'cluster:rekeyCa': z.object({ name: clusterNameSchema }).strict(),
  /** Lists the members the cluster's discovery service knows (the current cluster when no name is given). */
  'cluster:members': z.object({ name: clusterNameSchema.optional() }).strict(),
  /** The Talos patch of a cluster (the current one when no name is given); the secret only when `showSecrets`. */
  'cluster:talosPatch': z.object({ name: clusterNameSchema.optional(), showSecrets: z.boolean().default(false) }).strict(),
  /**
   * Creates and selects a cluster that shares an existing Talos cluster's mesh: `config` is the text of its
   * `secrets.yaml` or of a machine config (id, secret, discovery endpoint, KubeSpan settings).
   */
  'cluster:createFromTalos': z
    .object({
      name: clusterNameSchema,
      config: z
        .string()
        .min(1, 'give the text of a secrets.yaml or a Talos machine config')
        .max(TALOS_CONFIG_MAX_CHARS, 'use a file of at most 1 MiB (a secrets.yaml or a machine config is a few KiB)'),
    })
    .strict(),
};
