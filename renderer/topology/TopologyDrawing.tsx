import { memo } from 'react';
import type { MeshNode, SiteKind } from '../../electron/contract/index.js';
import { portLabels, wallTitle, type BlockedFlow, type Cause, type Wall } from './cause.js';
import { addressLine, type TopologyLayout } from './layout.js';
import { flowRoute, gatewayHalf, hostWallRadius, linkRoute, pathData, wallGap, wallHalf, wallPoint, type RouteContext } from './route.js';
import type { PredictedPair } from './what-if.js';

/** How a link is drawn: a predicted state, or `relayed` (up through a third node). */
export type LinkState = PredictedPair | 'relayed';

/** A drawn link between two nodes and the state of the pair; a relayed one with its relay node, drawn a to via to b. */
export interface DrawnLink {
  a: string;
  b: string;
  state: LinkState;
  via?: string;
}

/** Props of {@link TopologyDrawing}. */
export interface TopologyDrawingProps {
  layout: TopologyLayout;
  ctx: RouteContext;
  nodes: MeshNode[];
  links: DrawnLink[];
  cause: Cause;
  /** Walls switched off in the what-if (drawn open, their arrows gone). */
  off: ReadonlySet<string>;
  onPair(a: string, b: string): void;
  onNode(name: string): void;
  onWall(id: string): void;
  /** Draw links as one bundle per pair of sites and one arrow per site and wall (large meshes). */
  bundled: boolean;
}

const siteLabels = { edge: 'Edge', datacenter: 'Datacenter', cloud: 'Cloud' } as const;
const worst: LinkState[] = ['down', 'unknown', 'fragile', 'relayed', 'up'];
const siteBit: Record<SiteKind, number> = { edge: 1, datacenter: 2, cloud: 4 };
const bitOf = (siteOf: ReadonlyMap<string, SiteKind>, node: string): number => siteBit[siteOf.get(node) ?? 'cloud'];

/** One arrow per source site and wall, counting the directions it stands for. */
function flowGroups(flows: BlockedFlow[], siteOf: ReadonlyMap<string, SiteKind>): Array<{ flow: BlockedFlow; count: number }> {
  const bySite = [1, 2, 4].map(() => new Map<string, { flow: BlockedFlow; count: number }>());
  for (const f of flows) {
    const groups = bySite[bitOf(siteOf, f.from) >> 1] as Map<string, { flow: BlockedFlow; count: number }>;
    const g = groups.get(f.wall);
    if (g) g.count += 1;
    else groups.set(f.wall, { flow: f, count: 1 });
  }
  return bySite.flatMap((groups) => [...groups.values()]);
}

/** One link per pair of sites, by its worst state, counting the pairs that are not up. */
function linkBundles(links: DrawnLink[], siteOf: ReadonlyMap<string, SiteKind>): Array<{ link: DrawnLink; count: number }> {
  const groups = new Map<number, { link: DrawnLink; count: number }>();
  for (const l of links) {
    const key = bitOf(siteOf, l.a) | bitOf(siteOf, l.b);
    const g = groups.get(key);
    if (!g) groups.set(key, { link: l, count: 1 });
    else {
      g.count += 1;
      if (worst.indexOf(l.state) < worst.indexOf(g.link.state)) g.link = l;
    }
  }
  return [...groups.values()];
}

const short = (text: string): string => (text.length > 22 ? `${text.slice(0, 21)}…` : text);

const activate = (run: () => void) => (e: { key: string; preventDefault(): void }) => {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  run();
};

function WallMark({
  wall,
  cause,
  ctx,
  stack,
  off,
  onWall,
}: {
  wall: Wall;
  cause: Cause;
  ctx: RouteContext;
  stack: number;
  off: boolean;
  onWall(id: string): void;
}) {
  const p = wallPoint(ctx, wall, stack);
  const title = `${wallTitle(cause, wall)}: ${wall.reason}${off ? ' (switched off in the what-if)' : ''}`;
  const common = {
    className: `wall${off ? ' wall-off' : ''}`,
    role: 'button',
    tabIndex: 0,
    'aria-pressed': off,
    'aria-label': `Wall at ${title}. Switch ${off ? 'on' : 'off'} in the what-if`,
    'data-testid': `wall-${wall.id}`,
    'data-at': `${p.x.toFixed(1)},${p.y.toFixed(1)}`,
    onClick: () => onWall(wall.id),
    onKeyDown: activate(() => onWall(wall.id)),
  };
  const mark = `${off ? '○' : '✕'} ${portLabels[wall.key]}`;
  if (wall.at === 'host') {
    const ring = hostWallRadius(ctx.layout);
    return (
      <g {...common}>
        <title>{title}</title>
        <circle cx={p.x} cy={p.y} r={ring} className="wall-ring" />
        {ctx.layout.radius >= 6 && (
          <text x={p.x + ring + 3} y={p.y - ring + 4 + stack * wallGap} className="wall-label" data-testid={`wall-label-${wall.id}`}>
            {mark} {wall.direction === 'inbound' ? 'in' : 'out'}
          </text>
        )}
      </g>
    );
  }
  return (
    <g {...common}>
      <title>{title}</title>
      <line x1={p.x - wallHalf} y1={p.y} x2={p.x + wallHalf} y2={p.y} className="wall-bar" />
      <text x={p.x + wallHalf + 4} y={p.y + 4} className="wall-label" data-testid={`wall-label-${wall.id}`}>
        {mark} {wall.direction === 'inbound' ? '↓' : '↑'}
      </text>
    </g>
  );
}

/** Sites under the public net, gateways on their borders, links routed round other sites, and each blocked direction as an arrow ending at its wall. */
export const TopologyDrawing = memo(function TopologyDrawing({ layout, ctx, nodes, links, cause, off, onPair, onNode, onWall, bundled }: TopologyDrawingProps) {
  const walls = new Map(cause.walls.map((w) => [w.id, w]));
  const stacks = new Map<string, number>();
  const stackOf = new Map<string, number>();
  for (const w of cause.walls) {
    const slot = `${w.place}:${w.direction}`;
    stackOf.set(w.id, stacks.get(slot) ?? 0);
    stacks.set(slot, (stacks.get(slot) ?? 0) + 1);
  }
  const flows = off.size === 0 ? cause.flows : cause.flows.filter((f) => !off.has(f.wall));
  const arrows = bundled ? flowGroups(flows, ctx.siteOf) : flows.map((flow) => ({ flow, count: 1 }));
  const drawn = bundled ? linkBundles(links, ctx.siteOf) : links.map((link) => ({ link, count: 1 }));
  /** Where names fit beside the dots; else each node is one circle, its name in its label. */
  const labelled = layout.radius >= 6;
  const gatewayName = (id: string) => cause.gateways.find((g) => g.id === id)?.label ?? id;
  return (
    <svg
      className="topology"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label={`Topology: ${nodes.length} nodes in three sites, ${cause.gateways.length} gateways, ${cause.walls.length} walls; ${flows.length} blocked directions.`}
      data-testid="topology"
    >
      <defs>
        <marker id="arrow-stop" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="arrow-down" />
        </marker>
      </defs>
      <rect x={4} y={4} width={layout.width - 8} height={layout.netBottom - 4} rx={8} className="public-net" />
      <text x={14} y={20} className="site-label">
        Public net
      </text>
      {layout.sites.map((site) => (
        <g key={site.kind}>
          <rect
            x={site.x}
            y={site.y}
            width={site.width}
            height={site.height}
            rx={10}
            className={`site-box site-${site.kind}`}
            data-testid={`site-${site.kind}`}
          />
          <text x={site.x + 12} y={site.y + 22} className="site-label">
            {siteLabels[site.kind]}
          </text>
        </g>
      ))}
      {drawn.map(({ link, count }) => {
        const via = count === 1 && link.via && layout.positions.has(link.via) ? link.via : undefined;
        const d = via ? `${pathData(linkRoute(ctx, link.a, via))} ${pathData(linkRoute(ctx, via, link.b))}` : pathData(linkRoute(ctx, link.a, link.b));
        const state = via ? `relayed through ${via} (${link.a} → ${via} → ${link.b})` : link.state;
        return (
          <g
            key={`${link.a}|${link.b}`}
            className="topo-link"
            role="button"
            tabIndex={0}
            aria-label={`${count > 1 ? `${count} pairs between these sites, the worst ` : ''}${link.a} and ${link.b}: ${state}. Open the path view`}
            data-testid={`link-${link.a}-${link.b}`}
            data-via={via}
            onClick={() => onPair(link.a, link.b)}
            onKeyDown={activate(() => onPair(link.a, link.b))}
          >
            <path d={d} className={`link link-${link.state}`} />
            <path d={d} className="link-hit" />
            {count > 1 ? <title>{`${count} pairs not fully up`}</title> : via && <title>{`${link.a} ↔ ${link.b}: ${state}`}</title>}
          </g>
        );
      })}
      {arrows.map(({ flow: f, count }) => {
        const wall = walls.get(f.wall) as Wall;
        const from = count > 1 ? `${count} nodes of ${siteLabels[ctx.siteOf.get(f.from) ?? 'cloud']}` : f.from;
        const at = wall.at === 'host' ? `${wall.place}'s firewall` : gatewayName(wall.place);
        return (
          <path
            key={`${f.from}>${f.to}:${f.key}`}
            d={pathData(flowRoute(ctx, f, wall, stackOf.get(wall.id) ?? 0))}
            className={`flow flow-${f.key}`}
            markerEnd="url(#arrow-stop)"
            data-testid={`flow-${f.from}-${f.to}-${f.key}`}
            data-wall={wall.id}
          >
            <title>{`${from} → ${count > 1 ? 'its nodes' : f.to}: ${portLabels[f.key]} stops at ${at} (${wall.reason})`}</title>
          </path>
        );
      })}
      {cause.gateways.map((g) => {
        const p = layout.gateways.get(g.id);
        if (!p) return null;
        const text = `${g.nat ? 'NAT' : 'FW'} ${short(g.label)}`;
        const under = g.name && g.address ? short(g.address) : null;
        const width = Math.max(48, Math.max(text.length, under?.length ?? 0) * 6.4 + 12);
        const below = layout.gatewayBelow.get(g.id) ?? gatewayHalf;
        return (
          <g key={g.id} className={`gateway${g.nat ? ' gateway-nat' : ''}`} data-testid={`gateway-${g.label}`}>
            <title>{`${g.label}: ${g.nat ? `NAT (${g.nat})${g.publicIp ? `, public ${g.publicIp}` : ''}` : 'network firewall'}, in front of ${g.nodes.join(', ')}`}</title>
            <rect x={p.x - width / 2} y={p.y - gatewayHalf} width={width} height={gatewayHalf + below} rx={4} className="gateway-box" />
            <text x={p.x} y={p.y + 4} textAnchor="middle" className="gateway-label">
              {text}
            </text>
            {under && (
              <text
                x={p.x}
                y={p.y + addressLine - 5}
                textAnchor="middle"
                className="gateway-label"
                style={{ fontWeight: 400 }}
                data-testid={`gateway-address-${g.label}`}
              >
                {under}
              </text>
            )}
          </g>
        );
      })}
      {cause.walls.map((w) => (
        <WallMark key={w.id} wall={w} cause={cause} ctx={ctx} stack={stackOf.get(w.id) ?? 0} off={off.has(w.id)} onWall={onWall} />
      ))}
      {nodes.map((node) => {
        const p = layout.positions.get(node.name) ?? { x: 0, y: 0 };
        const dot = node.managed === false ? 'node-dot node-dot-unmanaged' : node.agentReachable ? 'node-dot' : 'node-dot node-dot-unreachable';
        const button = {
          tabIndex: 0,
          role: 'button',
          'aria-label': `${node.name}${node.managed === false ? ' (not managed by Spanwise)' : ''}, ${node.site}, health ${Math.round(node.health)}: open node detail`,
          onClick: () => onNode(node.name),
          onKeyDown: activate(() => onNode(node.name)),
        };
        if (!labelled) return <circle key={node.name} {...button} cx={p.x} cy={p.y} r={layout.radius} className={`topo-node ${dot}`} />;
        return (
          <g key={node.name} className="topo-node" {...button}>
            <circle cx={p.x} cy={p.y} r={layout.radius} className={dot} />
            <text x={p.x} y={p.y + layout.radius + 13} textAnchor="middle" className="node-label">
              {node.name}
              {node.managed === false && <tspan className="node-tag"> · not managed</tspan>}
            </text>
          </g>
        );
      })}
    </svg>
  );
});
