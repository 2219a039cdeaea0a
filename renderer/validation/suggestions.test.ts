import { describe, expect, it } from 'vitest';
import { clusterNameSchema, machineNameSchema } from '../../electron/contract/fields.js';
import { suggestClusterName, suggestMachineName } from './suggestions.js';

describe('suggested names', () => {
  it('machine names are the site and the first free number, and pass the machine name schema', () => {
    expect(suggestMachineName('cloud', [])).toBe('cloud-1');
    expect(suggestMachineName('edge', ['edge-1', 'edge-2', 'cloud-3'])).toBe('edge-3');
    for (const site of ['edge', 'datacenter', 'cloud'] as const)
      expect(machineNameSchema.safeParse(suggestMachineName(site, [`${site}-1`])).success).toBe(true);
  });

  it('cluster names are lab, then lab-2, and pass the cluster name schema', () => {
    expect(suggestClusterName([])).toBe('lab');
    expect(suggestClusterName(['lab', 'lab-2'])).toBe('lab-3');
    expect(clusterNameSchema.safeParse(suggestClusterName(['lab'])).success).toBe(true);
  });
});
