import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fragileReasonList, fragileReasons, isProblemCode } from '../../agent/shared/health-codes.js';
import { createHandlers } from '../handlers/index.js';
import { createServices } from '../services/index.js';
import { eventChannels, invokeChannels, requestSchemas } from './index.js';

describe('the health contract', () => {
  const services = createServices({ mode: 'web', dataDir: join(mkdtempSync(join(tmpdir(), 'spanwise-health-')), 'data') });
  const handlers = createHandlers(services);

  it('has health:get (no fields) and the health:changed event', () => {
    expect(invokeChannels).toContain('health:get');
    expect(eventChannels).toContain('health:changed');
    expect(requestSchemas['health:get'].safeParse({ extra: 1 }).success).toBe(false);
  });

  it('answers with no cluster selected as a model of nothing, and then for the cluster, its MTU against the recommendation', async () => {
    expect(await handlers['health:get']({})).toMatchObject({ cluster: null, verdict: 'unknown', score: 0, fragile: [], causes: [], mtu: null });
    await handlers['cluster:create']({ name: 'lab', discovery: { mode: 'node', port: 3000 } });
    const health = await handlers['health:get']({});
    expect(health).toMatchObject({ cluster: 'lab', verdict: 'unknown', nodes: [], mtu: { configured: 1420, recommended: null, above: false } });
    await services.close();
  });

  it('registers the fragile reasons beside the problem codes, each with a sentence and a fix, none a problem code', () => {
    expect(fragileReasonList).toEqual(['ONE_WAY_INBOUND', 'MTU_ABOVE_PATH', 'WARNING_OPEN']);
    for (const code of fragileReasonList) {
      expect(isProblemCode(code)).toBe(false);
      expect(fragileReasons[code].text.length).toBeGreaterThan(20);
      expect(fragileReasons[code].fix.length).toBeGreaterThan(10);
    }
  });
});
