import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upLab } from './builder.js';
import { downLab } from './cleanup.js';
import { probe } from './probe.js';
import { run } from './run.js';
import { scenarios } from './scenarios/index.js';
import type { LabStatus } from './status.js';

// Each scenario's reachability matrix, checked with plain netcat: a listener
// on the target host, one new flow from the source.
for (const scenario of Object.values(scenarios)) {
  describe(`scenario ${scenario.name}`, () => {
    let lab: LabStatus;
    beforeAll(async () => {
      lab = await upLab(scenario.name, { fresh: true });
    });
    afterAll(async () => {
      await downLab();
    });

    it('has every host running with the sites its file declares', () => {
      const declared = scenario.sites.flatMap((s) => s.hosts.map((h) => ({ name: h.name, site: s.kind })));
      for (const d of declared) expect(lab.hosts.find((h) => h.name === d.name)).toMatchObject({ site: d.site, running: true });
      const gateways = scenario.sites.filter((s) => s.kind !== 'cloud').length;
      expect(lab.hosts.filter((h) => h.site === 'gateway')).toHaveLength(gateways);
    });

    it('answers ping from the desktop on every public address', async () => {
      for (const h of lab.hosts.filter((x) => x.publicAddress)) {
        const r = await run(['ping', '-n', '-c', '1', '-W', '2', h.publicAddress as string], { allowFailure: true });
        expect(r.code, `ping ${h.name}`).toBe(0);
      }
    });

    for (const r of scenario.reachability) {
      const verdict = r.reachable ? 'reaches' : 'does not reach';
      it(`${r.from} ${verdict} ${r.to} ${r.proto}/${r.port} (${r.why ?? ''})`, async () => {
        const result = await probe(lab, r.from, r.to, r.proto, r.port);
        expect(result.reachable).toBe(r.reachable);
      });
    }
  });
}
