import { useMemo } from 'react';
import { layoutTopology } from './layout.js';
import { lastOf } from './memo.js';
import type { RouteContext } from './route.js';
import { TopologyDrawing, type TopologyDrawingProps } from './TopologyDrawing.js';
import { useWidth } from './use-width.js';

const cachedLayout = lastOf(layoutTopology);

/**
 * The topology drawing at its container's width, one drawing unit per pixel (720 at
 * the least): drawn at once at the width known or estimated (its viewBox scales it to the
 * container meanwhile), and again only where the measured width differs; only the drawing
 * follows a resize.
 */
export function MeasuredTopology(props: Omit<TopologyDrawingProps, 'layout' | 'ctx'>) {
  const [frame, measured] = useWidth();
  const layout = cachedLayout(props.nodes, Math.max(720, measured), props.cause.gateways);
  const { nodes, cause } = props;
  const ctx: RouteContext = useMemo(
    () => ({ layout, siteOf: new Map(nodes.map((n) => [n.name, n.site])), gatewayOf: cause.gatewayOf }),
    [layout, nodes, cause],
  );
  return (
    <div ref={frame}>
      <TopologyDrawing {...props} layout={layout} ctx={ctx} />
    </div>
  );
}
