import type { SiteKind } from '../../electron/contract/index.js';
import type { BlockedFlow, Wall } from './cause.js';
import type { Point, SiteBox, TopologyLayout } from './layout.js';

/** What routing needs: the layout, each node's site and the gateway in front of it. */
export interface RouteContext {
  layout: TopologyLayout;
  siteOf: ReadonlyMap<string, SiteKind>;
  gatewayOf: ReadonlyMap<string, string>;
}

/** Half the height of a gateway's glyph on the border; walls stand just outside it. */
export const gatewayHalf = 9;
/** How far apart the walls stacked at one gateway (or host) stand, so their labels do not touch. */
export const wallGap = 16;
/** Half the width of a wall's bar at a gateway. */
export const wallHalf = 22;
/** How far left of its gateway an arrow leaves the site, clear of the inbound wall bars above the gateway. */
const exitShift = wallHalf + 6;

const boxOf = (ctx: RouteContext, node: string): SiteBox | undefined => ctx.layout.sites.find((s) => s.kind === ctx.siteOf.get(node));
const at = (ctx: RouteContext, node: string): Point => ctx.layout.positions.get(node) ?? { x: 0, y: 0 };

/** Where a node's traffic leaves its site: through its gateway, else straight up through the box's top border. */
function exitOf(ctx: RouteContext, node: string): Point {
  const gateway = ctx.layout.gateways.get(ctx.gatewayOf.get(node) ?? '');
  if (gateway) return gateway;
  return { x: at(ctx, node).x, y: boxOf(ctx, node)?.y ?? 0 };
}

/** A height in the public net's band for a link, spread by the pair's names so parallel links stay apart. */
function laneY(ctx: RouteContext, a: string, b: string): number {
  let hash = 0;
  for (const ch of a < b ? a + b : b + a) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const band = ctx.layout.netBottom - 24;
  return 14 + (hash % Math.max(1, band));
}

/**
 * The polyline of a link: a straight line inside one site; between sites, out
 * through the node's gateway (or its box's top border), along the public net
 * above every box, and down into the other site, so it crosses no other site's box.
 */
export function linkRoute(ctx: RouteContext, a: string, b: string, shift = 0): Point[] {
  const p = at(ctx, a);
  const q = at(ctx, b);
  if (ctx.siteOf.get(a) === ctx.siteOf.get(b)) return [p, q];
  const ea = exitOf(ctx, a);
  const eb = exitOf(ctx, b);
  const y = laneY(ctx, a, b) + shift;
  return [p, ea, { x: ea.x, y }, { x: eb.x, y }, eb, q];
}

/** The point `gap` before the end of the segment from `from` to `to`. */
function short(from: Point, to: Point, gap: number): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  return { x: to.x - (dx / len) * gap, y: to.y - (dy / len) * gap };
}

/** Where a wall is drawn: a gateway's walls stack above its glyph (inbound) or below it (outbound); a host's wall is a ring round the node. */
export function wallPoint(ctx: RouteContext, wall: Wall, stack: number): Point {
  if (wall.at === 'host') return at(ctx, wall.place);
  const g = ctx.layout.gateways.get(wall.place) ?? { x: 0, y: 0 };
  const above = gatewayHalf + 5 + stack * wallGap;
  const below = (ctx.layout.gatewayBelow.get(wall.place) ?? gatewayHalf) + 5 + stack * wallGap;
  return { x: g.x, y: wall.direction === 'inbound' ? g.y - above : g.y + below };
}

/** Radius of the ring that stands for a host's own firewall. */
export const hostWallRadius = (layout: TopologyLayout): number => layout.radius + 5;

/** The polyline of a blocked direction: along its link's route (leaving its own gateway beside the inbound wall bars there), ending at the wall that drops it. */
export function flowRoute(ctx: RouteContext, flow: BlockedFlow, wall: Wall, stack: number): Point[] {
  const route = linkRoute(ctx, flow.from, flow.to, 4);
  const exit = ctx.layout.gateways.get(ctx.gatewayOf.get(flow.from) ?? '');
  if (exit && route.length === 6) {
    route[1] = { x: exit.x - exitShift, y: exit.y };
    route[2] = { x: exit.x - exitShift, y: (route[2] as Point).y };
  }
  const ring = hostWallRadius(ctx.layout) + 2;
  if (wall.at === 'host' && wall.direction === 'inbound') {
    const last = route.length - 1;
    return [...route.slice(0, last), short(route[last - 1] as Point, route[last] as Point, ring)];
  }
  if (wall.at === 'host') return [route[0] as Point, short(route[1] as Point, route[0] as Point, ring)];
  const stop = wallPoint(ctx, wall, stack);
  if (wall.direction === 'outbound') return [route[0] as Point, { x: stop.x, y: stop.y + 3 }];
  if (route.length === 2) return [route[0] as Point, short(route[0] as Point, route[1] as Point, ring)];
  return [...route.slice(0, 4), { x: stop.x, y: stop.y - 3 }];
}

/** SVG path data of a polyline. */
export const pathData = (points: Point[]): string => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
