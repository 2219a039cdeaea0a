import type { AgentConfig } from '../config/schema.js';
import { clusterKey, openAffiliate, openEndpoint, sealAffiliate, sealEndpoint } from '../shared/affiliate-crypto.js';
import type { Logger } from '../shared/log.js';
import { HealthCode, reportHealth, type HealthReport } from '../resources/health.js';
import {
  DiscoveredAffiliateKind,
  DiscoveryStatusKind,
  HealthKind,
  LocalAffiliateKind,
  ObservedEndpointKind,
  ReflectedAddressKind,
  type DiscoveredAffiliate,
} from '../resources/kinds.js';
import type { StoreHandle } from '../resources/store.js';
import type { Clock } from '../shared/clock.js';
import { exclusive, shared } from './access.js';
import { followRedirect, parseDiscoveryUrl, type DiscoveryTarget } from '../shared/discovery-target.js';
import type { Controller } from './runtime.js';

/** An encrypted affiliate as the discovery service holds it. */
export interface RawAffiliate {
  id: string;
  data: Uint8Array;
  endpoints: Uint8Array[];
}

/** The calls the controller makes; `DiscoveryClient` from agent/discovery/client fits it. */
export interface DiscoveryConnection {
  hello(clusterId: string): Promise<{ clientIp: string | undefined; redirect: string | undefined }>;
  update(u: { clusterId: string; affiliateId: string; data?: Buffer; endpoints?: Buffer[]; ttlMs: number }): Promise<void>;
  delete(clusterId: string, affiliateId: string): Promise<void>;
  watch(
    clusterId: string,
    handler: {
      snapshot(a: RawAffiliate[]): void;
      upsert(a: RawAffiliate): void;
      delete(id: string): void;
      disconnected?(error: Error, retryInMs: number): void;
    },
  ): { close(): void };
  close(): void;
}

/** Opens a connection to one discovery service. */
export type DiscoveryConnector = (target: DiscoveryTarget) => DiscoveryConnection;

/** The target of a configured discovery URL, marked for the cluster CA when `discovery.clusterCa` lists it. */
export function configuredTarget(config: Pick<AgentConfig, 'discovery'>, url: string): DiscoveryTarget {
  const target = parseDiscoveryUrl(url);
  return config.discovery.clusterCa?.endpoints.includes(url) && !target.insecure ? { ...target, clusterCa: true } : target;
}

/** TTL of our affiliate and how often it is refreshed (Talos: 30 min, every 15 min). */
export const AFFILIATE_TTL_MS = 30 * 60_000;
export const AFFILIATE_REFRESH_MS = 15 * 60_000;

interface Session {
  url: string;
  target: DiscoveryTarget;
  conn?: DiscoveryConnection;
  watch?: { close(): void };
  raw: Map<string, RawAffiliate>;
  helloDone: boolean;
}

/** Decrypts what every service knows and merges it by affiliate id (endpoints unioned, first data wins). */
export function mergeAffiliates(
  key: Buffer,
  sessions: ReadonlyArray<{ url: string; raw: ReadonlyMap<string, RawAffiliate> }>,
  log?: Logger,
): Map<string, DiscoveredAffiliate> {
  const merged = new Map<string, DiscoveredAffiliate>();
  for (const session of sessions) {
    for (const raw of session.raw.values()) {
      let entry = merged.get(raw.id);
      if (!entry && raw.data.length) {
        try {
          entry = { info: openAffiliate(key, raw.data), endpoints: [], sources: [] };
          merged.set(raw.id, entry);
        } catch (error) {
          log?.debug('undecryptable affiliate', { id: raw.id, error: (error as Error).message });
          continue;
        }
      }
      if (!entry) continue;
      if (!entry.sources.includes(session.url)) entry.sources.push(session.url);
      for (const blob of raw.endpoints) {
        try {
          const endpoint = openEndpoint(key, blob);
          if (!entry.endpoints.includes(endpoint)) entry.endpoints.push(endpoint);
        } catch {
          // An endpoint we cannot read is skipped; the affiliate stays.
        }
      }
    }
  }
  return merged;
}

/**
 * The discovery client controller: Hello (reflected address, redirects), publishes this node's
 * encrypted affiliate and endpoints (TTL 30 min, refreshed every 15 min and on every change),
 * watches every configured service (snapshot, deltas, reconnect with backoff), merges members.
 */
export function discoveryController(config: AgentConfig, connect: DiscoveryConnector): Controller & { stop(): void; sessions: Session[] } {
  const key = clusterKey(config.cluster.secret);
  const clusterId = config.cluster.id;
  const targetOf = (url: string) => configuredTarget(config, url);
  const sessions: Session[] = config.discovery.endpoints.map((url) => ({ url, target: targetOf(url), raw: new Map(), helloDone: false }));
  let published = '';
  let publishedAt = 0;

  const setStatus = (store: StoreHandle, clock: Clock, s: Session, error?: string) => {
    const previous = store.get(DiscoveryStatusKind, s.url)?.spec;
    store.upsert(DiscoveryStatusKind, s.url, {
      url: s.url,
      connected: error === undefined,
      lastError: error,
      lastContact: error === undefined ? clock.now() : previous?.lastContact,
      redirectedTo: s.target.endpoint === parseDiscoveryUrl(s.url).endpoint ? undefined : s.target.endpoint,
    });
    const down: HealthReport[] = store
      .list(DiscoveryStatusKind)
      .filter((d) => !d.spec.connected)
      .map((d) => ({
        code: HealthCode.discoveryUnreachable,
        subject: d.id,
        severity: 'warning',
        text: `discovery service ${d.id} is unreachable: ${d.spec.lastError ?? ''}`,
        evidence: { url: d.id, error: d.spec.lastError ?? '' },
      }));
    reportHealth(store, [HealthCode.discoveryUnreachable], down, clock.now());
  };

  const refreshMembers = (store: StoreHandle, log: Logger) => {
    store.replaceAll(DiscoveredAffiliateKind, mergeAffiliates(key, sessions, log));
  };

  const open = (s: Session, store: StoreHandle, clock: Clock, log: Logger) => {
    s.conn ??= connect(s.target);
    s.watch = s.conn.watch(clusterId, {
      snapshot: (affiliates) => {
        s.raw = new Map(affiliates.map((a) => [a.id, a]));
        setStatus(store, clock, s);
        refreshMembers(store, log);
      },
      upsert: (a) => {
        s.raw.set(a.id, a);
        refreshMembers(store, log);
      },
      delete: (id) => {
        s.raw.delete(id);
        refreshMembers(store, log);
      },
      disconnected: (error, retryInMs) => {
        setStatus(store, clock, s, error.message);
        log.warn('discovery watch disconnected', { url: s.url, retryInMs, error: error.message });
      },
    });
  };

  const hello = async (s: Session, store: StoreHandle, log: Logger) => {
    for (let redirects = 0; !s.helloDone && redirects < 4; redirects += 1) {
      s.conn ??= connect(s.target);
      const result = await s.conn.hello(clusterId);
      if (result.clientIp) store.upsert(ReflectedAddressKind, s.url, { ip: result.clientIp });
      if (!result.redirect || result.redirect === s.target.endpoint) {
        s.helloDone = true;
        return;
      }
      const next = followRedirect(s.target, result.redirect);
      if (!next.ok) {
        log.warn('discovery redirect refused', { url: s.url, from: s.target.endpoint, to: result.redirect, reason: next.reason });
        s.conn.close();
        s.conn = undefined;
        s.target = targetOf(s.url);
        throw new Error(`redirect refused: ${next.reason}`);
      }
      log.info('discovery redirect', { from: s.target.endpoint, to: result.redirect });
      s.conn.close();
      s.conn = undefined;
      s.target = next.target;
    }
    if (!s.helloDone) throw new Error('too many discovery redirects');
  };

  const controller = {
    name: 'discovery',
    inputs: [LocalAffiliateKind, ObservedEndpointKind],
    outputs: [exclusive(ReflectedAddressKind), exclusive(DiscoveredAffiliateKind), exclusive(DiscoveryStatusKind), shared(HealthKind)],
    intervalMs: AFFILIATE_REFRESH_MS,
    sessions,
    stop() {
      for (const s of sessions) {
        s.watch?.close();
        s.conn?.close();
        s.watch = undefined;
        s.conn = undefined;
      }
    },
    async run({ store, clock, log }: Parameters<Controller['run']>[0]): Promise<void> {
      for (const s of sessions) {
        try {
          await hello(s, store, log);
        } catch (error) {
          setStatus(store, clock, s, (error as Error).message);
          continue;
        }
        if (!s.watch) open(s, store, clock, log);
      }
      const local = store.get(LocalAffiliateKind, 'local')?.spec;
      if (!local) return;
      const fingerprint = JSON.stringify(local);
      const now = clock.now();
      const due = fingerprint !== published || now - publishedAt >= AFFILIATE_REFRESH_MS;
      const harvested = config.harvestExtraEndpoints ? store.list(ObservedEndpointKind).map((o) => o.spec) : [];
      const failures: unknown[] = [];
      for (const s of sessions) {
        if (!s.conn) continue;
        try {
          if (due)
            await s.conn.update({
              clusterId,
              affiliateId: local.id,
              data: sealAffiliate(key, local.info),
              endpoints: local.endpoints.map((e) => sealEndpoint(key, e)),
              ttlMs: AFFILIATE_TTL_MS,
            });
          for (const h of harvested)
            await s.conn.update({ clusterId, affiliateId: h.affiliateId, endpoints: [sealEndpoint(key, h.endpoint)], ttlMs: AFFILIATE_TTL_MS });
          setStatus(store, clock, s);
        } catch (error) {
          failures.push(error);
          setStatus(store, clock, s, (error as Error).message);
        }
      }
      if (due && failures.length < sessions.length) {
        published = fingerprint;
        publishedAt = now;
      }
      if (failures.length) throw new Error(`discovery update failed on ${failures.length} of ${sessions.length} services`);
    },
  };
  return controller;
}

/** Deletes this node's affiliate from every service (`spanwise-agent leave`). */
export async function leaveDiscovery(config: AgentConfig, connect: DiscoveryConnector, affiliateId: string): Promise<string[]> {
  const errors: string[] = [];
  for (const url of config.discovery.endpoints) {
    const conn = connect(configuredTarget(config, url));
    try {
      await conn.delete(config.cluster.id, affiliateId);
    } catch (error) {
      errors.push(`${url}: ${(error as Error).message}`);
    } finally {
      conn.close();
    }
  }
  return errors;
}
