import type { SiteKind } from '../../electron/contract/index.js';

/** A site drawn as a box of nodes. */
export interface SiteBox {
  kind: SiteKind;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point of the drawing. */
export interface Point {
  x: number;
  y: number;
}

/** Where the sites, their gateways and the nodes sit in the topology drawing; the public net is the band above the boxes. */
export interface TopologyLayout {
  width: number;
  height: number;
  /** The public net's band: from the top to here. */
  netBottom: number;
  sites: SiteBox[];
  positions: Map<string, Point>;
  /** Gateways by id, centred on their site box's top border. */
  gateways: Map<string, Point>;
  /** How far below its centre a gateway's glyph reaches (further where its address stands under its name). */
  gatewayBelow: Map<string, number>;
  /** Node radius. */
  radius: number;
}

const kinds: SiteKind[] = ['edge', 'datacenter', 'cloud'];
/** Where the line under a gateway's glyph that gives its address ends, below the gateway's centre. */
export const addressLine = 23;

/** How many nodes go on each ring (innermost first) so neighbours stay apart and few links run through a node. */
function rings(count: number): number[] {
  const out: number[] = [];
  let left = count;
  for (let ring = 0; left > 0; ring++) {
    const take = Math.min(left, ring === 0 ? Math.min(count, 10) : 10 + ring * 8);
    out.push(take);
    left -= take;
  }
  return out;
}

/** Lays the sites out side by side under the public net, each site's gateways on its top border and its nodes on rings inside its box. */
export function layoutTopology(
  nodes: Array<{ name: string; site: SiteKind }>,
  width = 960,
  gatewayList: ReadonlyArray<{ id: string; site: SiteKind; name?: string | null; address?: string | null }> = [],
): TopologyLayout {
  const gap = 28;
  const boxWidth = (width - gap * (kinds.length + 1)) / kinds.length;
  const groups = kinds.map((kind) => nodes.filter((n) => n.site === kind));
  const largest = Math.max(1, ...groups.map((g) => g.length));
  const ringCount = rings(largest).length;
  const radius = largest > 40 ? 4 : largest > 16 ? 6 : 11;
  const outer = Math.min(boxWidth / 2 - 28, 60 + ringCount * 40);
  const boxHeight = outer * 2 + 80;
  const netBottom = 64;
  const top = netBottom + 24;
  const positions = new Map<string, Point>();
  const gateways = new Map<string, Point>();
  const gatewayBelow = new Map(gatewayList.filter((g) => g.name && g.address).map((g) => [g.id, addressLine] as const));
  const sites = kinds.map((kind, k) => {
    const box = { kind, x: gap + k * (boxWidth + gap), y: top, width: boxWidth, height: boxHeight };
    const own = gatewayList.filter((g) => g.site === kind);
    own.forEach((g, i) => gateways.set(g.id, { x: box.x + (box.width * (i + 1)) / (own.length + 1), y: box.y }));
    const group = groups[k] ?? [];
    const cx = box.x + box.width / 2;
    const cy = box.y + 44 + outer;
    let i = 0;
    rings(group.length).forEach((size, ring, all) => {
      const r = group.length === 1 ? 0 : outer * ((ring + 1) / all.length);
      for (let j = 0; j < size; j++, i++) {
        const angle = -Math.PI / 2 + (2 * Math.PI * j) / size + ring * 0.3 + 0.6;
        positions.set((group[i] as { name: string }).name, { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) });
      }
    });
    return box;
  });
  return { width, height: top + boxHeight + 16, netBottom, sites, positions, gateways, gatewayBelow, radius };
}
