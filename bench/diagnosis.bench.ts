// A full diagnosis of the 4-host hybrid lab (cloud1, cloud2, dc1 behind a
// firewall, edge1 behind NAT) with real agents. The lab is onboarded first
// (not timed); then `diagnosis.run()` is timed: gathering (agents, SSH host
// reports, UDP/TCP/NAT/MTU probes) plus the rules. Baseline, measured in the
// same run: the same diagnosis with the probe phases run one after another
// and each phase's probes one at a time. The budget is 10 s.
import { EvidenceGatherer } from '../electron/services/diagnosis/gather/gather-service.js';
import { upLab } from '../test/lab/builder.js';
import { downLab } from '../test/lab/cleanup.js';
import { onboardLab, pairsUp, pairsWith, waitForStatus } from '../test/lab/diagnosis/lab-cluster.js';
import { labIsFree } from './lab-guard.js';
import { percentile, report } from './report.js';

const ROUNDS = 3;

async function main(): Promise<number> {
  if (!(await labIsFree('diagnosis'))) return 1;
  try {
    const status = await upLab('hybrid', { fresh: true });
    const cluster = await onboardLab(status);
    try {
      const nodes = cluster.nodes;
      await waitForStatus(cluster.services, pairsUp(pairsWith(['cloud1', 'cloud2'], nodes)));
      const parallel = cluster.services.diagnosis;
      const sequential = parallel.withGatherer(new EvidenceGatherer({ sequential: true }));
      const times = { parallel: [] as number[], sequential: [] as number[] };
      let findings = '';
      for (let i = 0; i < ROUNDS; i += 1) {
        for (const [name, service] of [
          ['parallel', parallel],
          ['sequential', sequential],
        ] as const) {
          const started = performance.now();
          const result = await service.run();
          times[name].push((performance.now() - started) / 1000);
          if (name === 'parallel')
            findings = result.findings
              .filter((f) => f.severity !== 'info')
              .map((f) => f.id)
              .join(', ');
        }
      }
      console.log(`# ${nodes.length} hosts, ${ROUNDS} rounds each; serious findings: ${findings}`);
      const median = (v: number[]) => percentile(v, 50);
      report('diagnosis hybrid 4 hosts (median)', median(times.parallel), 's', median(times.sequential), 'under 10 s');
      report('diagnosis hybrid 4 hosts vs the issue budget (median)', median(times.parallel), 's', 10, 'under 10 s');
      return 0;
    } finally {
      cluster.close();
    }
  } finally {
    await downLab();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    void downLab().finally(() => process.exit(1));
  },
);
