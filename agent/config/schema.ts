import { z } from 'zod';
import { parseEndpointFilter } from '../lib/endpoint-filters.js';
import { parseEndpoint, parsePrefix } from '../shared/ip.js';
import { hostPaths } from '../shared/host-paths.js';
import { siteKinds } from '../shared/site-kinds.js';
import { AGENT_API_PORT, AGENT_METRICS_PORT } from '../shared/ports.js';

const cidr = z.string().refine((s) => s.includes('/') && parsePrefix(s) !== undefined, {
  error: (issue) => `'${String(issue.input)}' is not a CIDR (expected e.g. 10.244.0.0/16 or fd00::/64)`,
});

const endpointFilter = z.string().refine((s) => parseEndpointFilter(s) !== undefined, {
  error: (issue) => `'${String(issue.input)}' is not an IP or CIDR, optionally prefixed with '!' (e.g. 0.0.0.0/0, !192.168.0.0/16)`,
});

const ipPort = z.string().refine((s) => parseEndpoint(s) !== undefined, {
  error: (issue) => `'${String(issue.input)}' is not ip:port (IPv6 as [ip]:port)`,
});

const secret = z.string().refine((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s.trim()) && Buffer.from(s.trim(), 'base64').length === 32, {
  error: 'must be 32 random bytes in base64 (e.g. the output of `head -c32 /dev/urandom | base64`)',
});

const discoveryUrl = z.string().refine((s) => /^https?:\/\/[^/\s:]+(:\d{1,5})?\/?$/.test(s) || /^https?:\/\/\[[0-9a-fA-F:.]+\](:\d{1,5})?\/?$/.test(s), {
  error: (issue) => `'${String(issue.input)}' is not a discovery URL (expected https://host[:port] or http://host:port)`,
});

const listenAddress = z
  .string()
  .refine((s) => /^(\[[0-9a-fA-F:.]+\]|[0-9.]+|[A-Za-z0-9.-]+):\d{1,5}$/.test(s) && Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, {
    error: (issue) => `'${String(issue.input)}' is not HOST:PORT (e.g. 0.0.0.0:50000 or [::]:50000)`,
  });

const nodeName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/, { error: (issue) => `'${String(issue.input)}' is not a node name (letters, digits, '.', '_', '-')` });

/** Most relays one cluster may configure. */
export const MAX_RELAYS = 64;

/**
 * One relayed pair: the two ends (node names as their affiliates publish them) reach each other
 * through `via`, a third mesh node. Every member reads the same list, so both ends agree on the relay.
 */
export const relaySchema = z
  .strictObject({ between: z.tuple([nodeName, nodeName]), via: nodeName })
  .refine((r) => new Set([...r.between, r.via]).size === 3, { error: 'between and via must name three different nodes' });

const absolutePath = z.string().refine((s) => s.startsWith('/'), { error: 'must be an absolute path' });

/**
 * The agent's YAML config: the fields of Talos's KubeSpanConfig at the top level (same names and
 * meaning), plus what a Talos machine config would hold elsewhere (cluster id and secret,
 * discovery endpoints) and the agent's own settings. Unknown keys are errors.
 */
export const agentConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  mtu: z
    .number()
    .int()
    .min(1280, { error: 'must be at least 1280 (the IPv6 minimum); use the underlay MTU minus 80, e.g. 1420 for 1500' })
    .max(65535)
    .default(1420),
  allowDownPeerBypass: z.boolean().default(false),
  advertiseKubernetesNetworks: z.boolean().default(false),
  harvestExtraEndpoints: z.boolean().default(false),
  filters: z
    .strictObject({
      endpoints: z.array(endpointFilter).default([]),
      excludeAdvertisedNetworks: z.array(cidr).default([]),
    })
    .default({ endpoints: [], excludeAdvertisedNetworks: [] }),
  extraAnnouncedEndpoints: z.array(ipPort).default([]),
  /** Pairs with no direct path, carried through a third Spanwise node (not a Talos KubeSpan field). */
  relays: z
    .array(relaySchema)
    .max(MAX_RELAYS, { error: `at most ${MAX_RELAYS} relays` })
    .refine((list) => new Set(list.map((r) => [...r.between].sort().join(' '))).size === list.length, {
      error: 'a pair may have one relay only',
    })
    .default([]),
  /**
   * `auto`: pairs that one end cannot reach directly are relayed through a Spanwise node every
   * member picks alike from the affiliates' relay extension; `manual`: only `relays`. Not a Talos field.
   */
  relayMode: z.enum(['manual', 'auto'], { error: "use 'manual' or 'auto'" }).default('manual'),
  cluster: z.strictObject({
    id: z.string().min(1, { error: 'must not be empty' }),
    secret,
  }),
  discovery: z.strictObject({
    endpoints: z.array(discoveryUrl).min(1, { error: 'needs at least one discovery URL' }),
    /**
     * The cluster's own discovery service (on one of its nodes): these https endpoints, and where
     * they redirect, are verified against the CA in `file` (PEM) instead of the system roots.
     */
    clusterCa: z
      .strictObject({
        file: absolutePath,
        endpoints: z.array(discoveryUrl.refine((s) => s.startsWith('https://'), { error: 'must be an https:// URL' })).min(1),
      })
      .optional(),
  }),
  api: z
    .strictObject({
      listen: listenAddress.default(`0.0.0.0:${AGENT_API_PORT}`),
      ca: absolutePath,
      cert: absolutePath,
      key: absolutePath,
    })
    .optional(),
  /**
   * Prometheus metrics on `listen`/metrics: HOST:PORT, or `mesh:PORT` for this node's KubeSpan
   * address (served once the address is up). On by default, on the loopback.
   */
  metrics: z
    .strictObject({ enabled: z.boolean().default(true), listen: listenAddress.default(`127.0.0.1:${AGENT_METRICS_PORT}`) })
    .default({ enabled: true, listen: `127.0.0.1:${AGENT_METRICS_PORT}` }),
  stateDir: absolutePath.default(hostPaths.stateDir),
  runtimeDir: absolutePath.default(hostPaths.runtimeDir),
  podCIDRs: z.array(cidr).default([]),
  wireguard: z.strictObject({ backend: z.enum(['auto', 'kernel', 'wireguard-go']).default('auto') }).default({ backend: 'auto' }),
  timing: z.enum(['fast', 'talos']).default('fast'),
  node: z
    .strictObject({
      hostname: z.string().min(1).optional(),
      machineType: z.enum(['controlplane', 'worker', 'init', 'unknown']).default('worker'),
      /** The site kind, published for automatic relaying (cloud nodes are preferred as relays). */
      site: z.enum(siteKinds, { error: `use one of ${siteKinds.join(', ')}` }).optional(),
    })
    .default({ machineType: 'worker' }),
});

/** The validated agent config with defaults filled in. Holds the cluster secret: never log it. */
export type AgentConfig = z.infer<typeof agentConfigSchema>;
