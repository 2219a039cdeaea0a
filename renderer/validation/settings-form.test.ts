import { describe, expect, it } from 'vitest';
import { draftOf, settingsOf, validateSettings, type SettingsDraft } from './settings-form.js';

const good: SettingsDraft = draftOf({
  mtu: 1420,
  allowDownPeerBypass: false,
  advertiseKubernetesNetworks: true,
  harvestExtraEndpoints: false,
  agentMetrics: true,
  relayMode: 'manual',
  diagnosisIntervalMinutes: 10,
  endpointFilters: ['0.0.0.0/0', '!192.168.0.0/16', 'fd00::1'],
  excludeAdvertisedNetworks: ['10.244.0.0/16', 'fd00::/64'],
  extraDiscoveryEndpoints: ['https://discovery.talos.dev', 'http://[fd00::1]:3000'],
});

describe('settings form', () => {
  it('accepts good settings and sends them as typed', () => {
    expect(validateSettings(good)).toEqual({});
    expect(settingsOf({ ...good, endpointFilters: ' 10.0.0.0/8 \n\n!10.1.0.0/16\n' }).endpointFilters).toEqual(['10.0.0.0/8', '!10.1.0.0/16']);
    expect(settingsOf({ ...good, agentMetrics: false }).agentMetrics).toBe(false);
    expect(settingsOf(good).agentMetrics).toBe(true);
    expect(settingsOf({ ...good, diagnosisIntervalMinutes: '0' }).diagnosisIntervalMinutes).toBe(0);
    expect(validateSettings({ ...good, diagnosisIntervalMinutes: '2000' }).diagnosisIntervalMinutes).toBe('Diagnose every: use 0 (off) to 1440 minutes');
  });

  it('refuses :::/64 as an excluded network with the schema message and the line', () => {
    expect(validateSettings({ ...good, excludeAdvertisedNetworks: '10.244.0.0/16\n:::/64' })).toEqual({
      excludeAdvertisedNetworks: "Excluded networks, line 2: ':::/64' is not a CIDR (expected e.g. 10.244.0.0/16 or fd00::/64)",
    });
  });

  it('refuses bad endpoint filters, networks without a prefix length and discovery URLs with paths', () => {
    const errors = validateSettings({
      ...good,
      endpointFilters: '!:::/64',
      excludeAdvertisedNetworks: '10.0.0.1',
      extraDiscoveryEndpoints: 'https://discovery.example/v1',
    });
    expect(errors.endpointFilters).toBe(
      "Endpoint filters, line 1: '!:::/64' is not an IP or CIDR, optionally prefixed with '!' (e.g. 0.0.0.0/0, !192.168.0.0/16)",
    );
    expect(errors.excludeAdvertisedNetworks).toBe("Excluded networks, line 1: '10.0.0.1' is not a CIDR (expected e.g. 10.244.0.0/16 or fd00::/64)");
    expect(errors.extraDiscoveryEndpoints).toBe(
      "Discovery endpoints, line 1: 'https://discovery.example/v1' is not a discovery URL (expected https://host[:port] or http://host:port)",
    );
  });

  it('refuses too many entries with the list message', () => {
    const many = Array.from({ length: 9 }, (_, i) => `https://d${i}.example`).join('\n');
    expect(validateSettings({ ...good, extraDiscoveryEndpoints: many }).extraDiscoveryEndpoints).toBe('Discovery endpoints: use at most 8 discovery URLs');
  });

  it('checks the MTU with the schema range', () => {
    expect(validateSettings({ ...good, mtu: '1000' }).mtu).toBe('MTU: use at least 1280 (the IPv6 minimum)');
    expect(validateSettings({ ...good, mtu: '9001' }).mtu).toBe('MTU: use at most 9000');
    expect(validateSettings({ ...good, mtu: '14x0' }).mtu).toBe('MTU: use a whole number, e.g. 1420');
    expect(validateSettings({ ...good, mtu: ' 1280 ' })).toEqual({});
  });
});
