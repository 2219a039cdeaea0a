import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../contract/index.js';
import { createServices, type Services } from '../index.js';
import { DiagnosisService } from './diagnosis-service.js';
import { blockedApiEvidence, hybridEvidence } from '../../../test/support/diagnosis-fixtures/lab-scenarios.js';
import type { Evidence } from './evidence.js';
import type { EvidenceGatherer } from './gather/gather-service.js';
import { DiagnosisReportStore } from '../store/diagnosis-reports.js';
import { openDatabase } from '../store/database.js';

describe('DiagnosisService', () => {
  let dir: string;
  let services: Services;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-diag-'));
    services = createServices({ mode: 'web', dataDir: dir });
    await services.clusters.create('lab', { mode: 'url', url: 'http://127.0.0.1:3000' });
  });
  afterEach(() => {
    services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function service(evidence: () => Evidence = blockedApiEvidence) {
    const gatherer = { gather: async () => evidence() } as unknown as EvidenceGatherer;
    const db = openDatabase(dir);
    const diagnosis = new DiagnosisService({
      clusters: services.clusters,
      machineStore: { list: () => [], get: () => undefined } as never,
      reports: new DiagnosisReportStore(db),
      gatherer,
      events: services.events,
      opener: async () => Promise.reject(new Error('no agents here')),
      credentials: () => ({ identityFile: null, passphrase: null, password: null, sudoPassword: null, useAgent: false }),
      hostKeys: services.hostKeys,
    });
    return { diagnosis, db };
  }

  it('runs, keeps the last report, pushes it as an event, and previews a fix by finding id', async () => {
    const { diagnosis, db } = service();
    const events: EventChannel[] = [];
    services.events.subscribe((event) => void events.push(event));
    expect(diagnosis.last()).toBeNull();
    const report = await diagnosis.run();
    expect(events).toEqual(['diagnosis:report']);
    expect(diagnosis.last()).toEqual(report);
    expect(report.matrix.tcp50000.desktop?.cloud3).toBe('blocked');
    const remediation = diagnosis.preview('TCP_50000_UNREACHABLE:cloud3');
    expect(remediation.hostFixes[0]?.node).toBe('cloud3');
    expect(() => diagnosis.preview('PEER_DOWN:nope')).toThrow(/no finding/);
    db.close();
  });

  it('refuses to apply a finding that has no host fix, saying what to do instead', async () => {
    const { diagnosis, db } = service(() => hybridEvidence('up'));
    await diagnosis.run();
    const refused = diagnosis.apply('UDP_51820_INBOUND_BLOCKED:dc1', undefined, 30);
    await expect(refused).rejects.toMatchObject({ code: 'NO_HOST_FIX', hint: 'send the change request to whoever runs that network' });
    await expect(diagnosis.apply('UDP_51820_INBOUND_BLOCKED:nope', undefined, 30)).rejects.toMatchObject({ code: 'FINDING_NOT_FOUND' });
    db.close();
  });
});
