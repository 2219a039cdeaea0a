import type { ZodType } from 'zod';
import type { ClusterSettings } from '../../electron/contract/index.js';
import { endpointFiltersSchema, excludedNetworksSchema, extraDiscoveryEndpointsSchema, meshMtuSchema } from '../../electron/contract/fields.js';
import { lines, schemaIssues, wholeNumber } from './schema-issues.js';

/** The settings form as typed: numbers and lists as text. */
export interface SettingsDraft {
  mtu: string;
  allowDownPeerBypass: boolean;
  advertiseKubernetesNetworks: boolean;
  harvestExtraEndpoints: boolean;
  agentMetrics: boolean;
  relayMode: ClusterSettings['relayMode'];
  /** Minutes between diagnoses the open app runs by itself; 0: off. */
  diagnosisIntervalMinutes: string;
  endpointFilters: string;
  excludeAdvertisedNetworks: string;
  extraDiscoveryEndpoints: string;
}

type ListField = 'endpointFilters' | 'excludeAdvertisedNetworks' | 'extraDiscoveryEndpoints';

/** The contract's schema and the label of each list field. */
const listFields: Array<[ListField, ZodType, string]> = [
  ['endpointFilters', endpointFiltersSchema, 'Endpoint filters'],
  ['excludeAdvertisedNetworks', excludedNetworksSchema, 'Excluded networks'],
  ['extraDiscoveryEndpoints', extraDiscoveryEndpointsSchema, 'Discovery endpoints'],
];

export function draftOf(settings: ClusterSettings): SettingsDraft {
  return {
    mtu: String(settings.mtu),
    allowDownPeerBypass: settings.allowDownPeerBypass,
    advertiseKubernetesNetworks: settings.advertiseKubernetesNetworks,
    harvestExtraEndpoints: settings.harvestExtraEndpoints,
    agentMetrics: settings.agentMetrics,
    relayMode: settings.relayMode,
    diagnosisIntervalMinutes: String(settings.diagnosisIntervalMinutes),
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
    agentMetrics: draft.agentMetrics,
    relayMode: draft.relayMode,
    diagnosisIntervalMinutes: Number(draft.diagnosisIntervalMinutes),
    endpointFilters: lines(draft.endpointFilters),
    excludeAdvertisedNetworks: lines(draft.excludeAdvertisedNetworks),
    extraDiscoveryEndpoints: lines(draft.extraDiscoveryEndpoints),
  };
}

/** Messages by field, from the contract's settings field schemas: the label, the line when it is one line, and the schema's message. */
export function validateSettings(draft: SettingsDraft): Partial<Record<keyof SettingsDraft, string>> {
  const errors: Partial<Record<keyof SettingsDraft, string>> = {};
  const mtu = wholeNumber(draft.mtu);
  const [mtuIssue] = mtu === undefined ? [{ message: 'use a whole number, e.g. 1420' }] : schemaIssues(meshMtuSchema, mtu);
  if (mtuIssue) errors.mtu = `MTU: ${mtuIssue.message}`;
  const minutes = wholeNumber(draft.diagnosisIntervalMinutes);
  if (minutes === undefined || minutes > 1440) errors.diagnosisIntervalMinutes = 'Diagnose every: use 0 (off) to 1440 minutes';
  for (const [field, schema, label] of listFields) {
    const [issue] = schemaIssues(schema, lines(draft[field]));
    const line = typeof issue?.path[0] === 'number' ? `, line ${issue.path[0] + 1}` : '';
    if (issue) errors[field] = `${label}${line}: ${issue.message}`;
  }
  return errors;
}

/** Maps a backend message `settings.endpointFilters[1]: ...` to the form field it names. */
export function fieldOfBackendError(message: string): keyof SettingsDraft | null {
  const match = /settings\.([a-zA-Z]+)/.exec(message);
  const field = match?.[1] as keyof SettingsDraft | undefined;
  return field && ['mtu', 'endpointFilters', 'excludeAdvertisedNetworks', 'extraDiscoveryEndpoints'].includes(field) ? field : null;
}
