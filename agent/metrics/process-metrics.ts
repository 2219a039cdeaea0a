import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import { VERSION } from '../shared/version.js';

/**
 * Adds the process metrics (prom-client's defaults: CPU, RSS, heap, event loop lag, GC) and
 * `<name>_build_info{version} 1` to a registry. Each server has its own registry, so several can
 * run in one process.
 */
export function addProcessMetrics(registry: Registry, name: string): void {
  collectDefaultMetrics({ register: registry });
  const info = new Gauge({ name: `${name}_build_info`, help: 'Always 1; the version is in the label.', labelNames: ['version'], registers: [registry] });
  info.set({ version: VERSION }, 1);
}
