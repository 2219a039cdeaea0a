import { z } from 'zod';
import { endpointFiltersSchema, excludedNetworksSchema, extraDiscoveryEndpointsSchema, machineNameSchema, meshMtuSchema } from './fields.js';

/** Most relays a cluster may have (the agent's own limit is the same). */
export const MAX_RELAYS = 64;

/** A pair with no direct path, carried through `via`: three machines of the cluster, each a Spanwise node. */
export const relaySettingSchema = z
  .object({ between: z.tuple([machineNameSchema, machineNameSchema]), via: machineNameSchema })
  .strict()
  .refine((r) => new Set([...r.between, r.via]).size === 3, { message: 'a relay names three different machines: two ends and the relay' });
export type RelaySetting = z.output<typeof relaySettingSchema>;

/** The unordered pair a relay is for, as one key ("a,b" with the names sorted). */
export const relayPairKey = (between: readonly [string, string]): string => [...between].sort().join(',');

/**
 * Mesh settings of a cluster, in the shape of Talos's KubeSpanConfig; applied
 * to every agent's config. Values are checked again by the agent's own schema
 * on the backend, which names the field on error.
 */
export const clusterSettingsSchema = z
  .object({
    /** Mesh MTU: the underlay MTU minus 80 (IPv6 outer headers), at least 1280. */
    mtu: meshMtuSchema.default(1420),
    allowDownPeerBypass: z.boolean().default(false),
    advertiseKubernetesNetworks: z.boolean().default(false),
    harvestExtraEndpoints: z.boolean().default(false),
    /** `filters.endpoints`: CIDRs or IPs to include, `!CIDR` to exclude, in dial order. */
    endpointFilters: endpointFiltersSchema.default([]),
    /** `filters.excludeAdvertisedNetworks`: CIDRs never routed through the mesh. */
    excludeAdvertisedNetworks: excludedNetworksSchema.default([]),
    /** Discovery URLs used besides the cluster's own placement (several are merged). */
    extraDiscoveryEndpoints: extraDiscoveryEndpointsSchema.default([]),
    /** Agents serve their Prometheus metrics on their mesh (KubeSpan) address, port 9587; off: on the loopback only. */
    agentMetrics: z.boolean().default(false),
    /**
     * Pairs with no direct path, relayed through a third Spanwise node (`settings set --relay A,B=R`).
     * Absent in an update: the saved relays stay.
     */
    relays: z
      .array(relaySettingSchema)
      .max(MAX_RELAYS, `at most ${MAX_RELAYS} relays`)
      .refine((list) => new Set(list.map((r) => relayPairKey(r.between))).size === list.length, 'a pair may have one relay only; remove the old one first')
      .optional(),
    /**
     * `auto`: the agents relay a pair that one end cannot reach directly through a Spanwise node they
     * pick alike (cloud first), with no desktop call; `manual`: only `relays`, which win for their pair.
     */
    relayMode: z.enum(['manual', 'auto'], "use 'manual' or 'auto'").default('manual'),
    /** How often the open app (or `spanwise web`) runs a diagnosis by itself, in minutes; 0: only after onboarding and on demand. */
    diagnosisIntervalMinutes: z.number().int('use a whole number of minutes').min(0, 'use 0 (off) or more').max(1440, 'use at most 1440 (a day)').default(10),
  })
  .strict();
export type ClusterSettings = z.output<typeof clusterSettingsSchema>;

/** Settings with what the backend recommends. */
export interface SettingsView {
  cluster: string;
  settings: ClusterSettings;
  /** The largest safe mesh MTU from the smallest underlay MTU seen on the nodes, or null before any onboarding. */
  recommendedMtu: number | null;
  /** Where the recommendation comes from, in words. */
  recommendation: string;
}

/** Requests of the settings domain (the current cluster). */
export const settingsRequests = {
  'settings:get': z.object({}).strict(),
  /** Saves the settings; `apply` re-runs onboarding on every onboarded node so their agents pick them up. */
  'settings:update': z.object({ settings: clusterSettingsSchema, apply: z.boolean().default(true) }).strict(),
};
