import { z } from 'zod';
import type { FragileReason } from '../../agent/shared/health-codes.js';
import type { FindingCause, Severity } from './diagnosis.js';
import type { SiteKind } from './machines.js';

export type { FragileReason } from '../../agent/shared/health-codes.js';

/** One ordered pair that WireGuard reports up but that would break easily, and why. */
export interface FragilePair {
  from: string;
  to: string;
  /** Codes of `fragileReasons` (agent/shared/health-codes.ts), in registry order. */
  reasons: FragileReason[];
  /** Ids of the last diagnosis's root causes that explain it (`FindingCause.id`). */
  causes: string[];
}

/** One ordered pair up through a relay node: it counts as up, never fragile; `reason` says it is relayed and through which node. */
export interface RelayedPair {
  from: string;
  to: string;
  via: string;
  reason: string;
}

/** Counts of ordered pairs by shown state (a relayed pair counts as up). */
export interface PairCounts {
  up: number;
  fragile: number;
  down: number;
  unknown: number;
}

/** One node's health: its share of pairs (both directions) up, a fragile pair counting half. */
export interface NodeHealth {
  name: string;
  site: SiteKind;
  /** 0..100. */
  score: number;
  /** Its ordered pairs (both directions) by state. */
  pairs: PairCounts;
}

/** The nodes of one site kind together. */
export interface SiteHealth {
  site: SiteKind;
  nodes: number;
  /** 0..100: the mean of its nodes' scores. */
  score: number;
  /** Ordered pairs with an end in the site, each once, by state. */
  pairs: PairCounts;
}

/** The screens that show findings, for the counts in the navigation. */
export type FindingScreen = 'overview' | 'mesh' | 'topology' | 'firewall' | 'settings';

/** The configured mesh MTU against the recommendation (from the nodes' link MTUs). */
export interface MtuCheck {
  configured: number;
  recommended: number | null;
  /** True when the recommendation is below the configured MTU: pairs are fragile (MTU_ABOVE_PATH). */
  above: boolean;
}

/**
 * The one health model every screen, the tray and `spanwise status` read:
 * built from the live mesh view, the last diagnosis and the cluster's MTU. It
 * changes with every mesh patch or report (event `health:changed`).
 */
export interface ClusterHealth {
  /** The cluster it is of; null when none is selected. */
  cluster: string | null;
  /** 0..100: the share of ordered pairs up, a fragile pair counting half; 100 for a lone node whose agent answers. */
  score: number;
  /** `down`: a pair down; `fragile`: every pair up or fragile, some fragile; `healthy`: all up; `unknown`: nothing known yet. */
  verdict: 'healthy' | 'fragile' | 'down' | 'unknown';
  pairs: PairCounts;
  /** Every ordered pair that is up but fragile. */
  fragile: FragilePair[];
  /** Every ordered pair that is up through a relay node. */
  relayed: RelayedPair[];
  nodes: NodeHealth[];
  sites: SiteHealth[];
  /** Root causes of the last diagnosis, most severe first (empty before any diagnosis). */
  causes: FindingCause[];
  /** Root causes by severity. */
  severities: Record<Severity, number>;
  /** Root causes each screen shows, for the counts in the navigation. */
  screens: Record<FindingScreen, number>;
  mtu: MtuCheck | null;
  /** The mesh view version and the diagnosis it was built from. */
  meshVersion: number;
  diagnosedAt: string | null;
}

/** Requests of the health domain. */
export const healthRequests = {
  'health:get': z.object({}).strict(),
};
