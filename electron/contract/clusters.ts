import * as z from 'zod';
import type { ErrorEnvelope } from '../../agent/shared/errors.js';
import { portNumber } from './numbers.js';

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
};
