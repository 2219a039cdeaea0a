import type { ClusterSettings } from '../../electron/contract/index.js';

/** The settings form as typed: numbers and lists as text. */
export interface SettingsDraft {
  mtu: string;
  allowDownPeerBypass: boolean;
  advertiseKubernetesNetworks: boolean;
  harvestExtraEndpoints: boolean;
  endpointFilters: string;
  excludeAdvertisedNetworks: string;
  extraDiscoveryEndpoints: string;
}

type ListField = 'endpointFilters' | 'excludeAdvertisedNetworks' | 'extraDiscoveryEndpoints';

const ipv4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const cidrRe = (value: string) => {
  const [ip, bits, extra] = value.split('/');
  if (extra !== undefined || !ip) return false;
  const v4 = ipv4.test(ip) && ip.split('.').every((o) => Number(o) <= 255);
  const v6 = ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
  if (!v4 && !v6) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (v4 ? 32 : 128));
};

/** Lines of a list field, trimmed, empty ones dropped. */
export const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

export function draftOf(settings: ClusterSettings): SettingsDraft {
  return {
    mtu: String(settings.mtu),
    allowDownPeerBypass: settings.allowDownPeerBypass,
    advertiseKubernetesNetworks: settings.advertiseKubernetesNetworks,
    harvestExtraEndpoints: settings.harvestExtraEndpoints,
    endpointFilters: settings.endpointFilters.join('\n'),
    excludeAdvertisedNetworks: settings.excludeAdvertisedNetworks.join('\n'),
    extraDiscoveryEndpoints: settings.extraDiscoveryEndpoints.join('\n'),
  };
}

export function settingsOf(draft: SettingsDraft): ClusterSettings {
  return {
    mtu: Number(draft.mtu),
    allowDownPeerBypass: draft.allowDownPeerBypass,
    advertiseKubernetesNetworks: draft.advertiseKubernetesNetworks,
    harvestExtraEndpoints: draft.harvestExtraEndpoints,
    endpointFilters: lines(draft.endpointFilters),
    excludeAdvertisedNetworks: lines(draft.excludeAdvertisedNetworks),
    extraDiscoveryEndpoints: lines(draft.extraDiscoveryEndpoints),
  };
}

/** Messages by field, each naming the field and the fix (the backend checks again with the agent's schema). */
export function validateSettings(draft: SettingsDraft): Partial<Record<keyof SettingsDraft, string>> {
  const errors: Partial<Record<keyof SettingsDraft, string>> = {};
  const mtu = Number(draft.mtu);
  if (!/^\d+$/.test(draft.mtu.trim()) || mtu < 1280 || mtu > 9000) errors.mtu = 'MTU: use a whole number from 1280 (the IPv6 minimum) to 9000';
  const badLine = (field: ListField, ok: (line: string) => boolean) => lines(draft[field]).findIndex((line) => !ok(line));
  const filter = badLine('endpointFilters', (l) => cidrRe(l.replace(/^!/, '')));
  if (filter >= 0) errors.endpointFilters = `Endpoint filters, line ${filter + 1}: use an IP or CIDR, optionally with a leading ! (e.g. !192.168.0.0/16)`;
  const excluded = badLine('excludeAdvertisedNetworks', (l) => l.includes('/') && cidrRe(l));
  if (excluded >= 0) errors.excludeAdvertisedNetworks = `Excluded networks, line ${excluded + 1}: use a CIDR such as 10.244.0.0/16`;
  const url = badLine('extraDiscoveryEndpoints', (l) => /^https?:\/\/[^\s/]+\/?$/.test(l));
  if (url >= 0) errors.extraDiscoveryEndpoints = `Discovery endpoints, line ${url + 1}: use https://host[:port] or http://host:port`;
  return errors;
}

/** Maps a backend message `settings.endpointFilters[1]: ...` to the form field it names. */
export function fieldOfBackendError(message: string): keyof SettingsDraft | null {
  const match = /settings\.([a-zA-Z]+)/.exec(message);
  const field = match?.[1] as keyof SettingsDraft | undefined;
  return field && ['mtu', 'endpointFilters', 'excludeAdvertisedNetworks', 'extraDiscoveryEndpoints'].includes(field) ? field : null;
}
