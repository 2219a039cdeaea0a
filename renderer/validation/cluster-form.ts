import type { DiscoveryPlacement } from '../../electron/contract/index.js';
import { clusterNameSchema, discoveryPlacementSchema, machineNameSchema } from '../../electron/contract/fields.js';
import type { FieldErrors } from './machine-form.js';
import { schemaIssues, wholeNumber } from './schema-issues.js';

/** The create-cluster form as typed. */
export interface ClusterFormValues {
  name: string;
  discoveryMode: DiscoveryPlacement['mode'];
  discoveryNode: string;
  discoveryPort: string;
  discoveryUrl: string;
  /** Embedded only: how the nodes reach this desktop; empty = learned per node. */
  discoveryAddress: string;
  /** On a node only: TLS with the cluster CA (the default) or plain h2c for a trusted LAN. */
  discoveryTransport: 'tls' | 'h2c';
}

export type ClusterField = keyof ClusterFormValues;

export const emptyClusterForm: ClusterFormValues = {
  name: '',
  discoveryMode: 'node',
  discoveryNode: '',
  discoveryPort: '3000',
  discoveryUrl: '',
  discoveryAddress: '',
  discoveryTransport: 'tls',
};

/** Placement fields by the schema's key, with their labels. */
const placementFields: Record<string, [ClusterField, string]> = {
  node: ['discoveryNode', 'Discovery node'],
  port: ['discoveryPort', 'Discovery port'],
  address: ['discoveryAddress', 'Address nodes reach this app at'],
  url: ['discoveryUrl', 'Discovery URL'],
};

/**
 * Checks the form with the contract's schemas (the cluster name, the discovery placement, and a
 * chosen discovery node as a machine name); each message is the field's label and the schema's message.
 * The URL's form is checked here too: the contract takes any text, which onboarding then refuses.
 */
export function validateClusterForm(values: ClusterFormValues): FieldErrors<ClusterField> {
  const errors: FieldErrors<ClusterField> = {};
  const put = (field: ClusterField, label: string, message: string) => {
    errors[field] ??= `${label}: ${message}`;
  };
  for (const issue of schemaIssues(clusterNameSchema, values.name)) put('name', 'Cluster name', issue.message);
  if (values.discoveryMode !== 'url' && wholeNumber(values.discoveryPort) === undefined)
    put('discoveryPort', 'Discovery port', 'use a whole number from 1 to 65535');
  if (values.discoveryMode === 'node' && values.discoveryNode !== '')
    for (const issue of schemaIssues(machineNameSchema, values.discoveryNode)) put('discoveryNode', 'Discovery node', issue.message);
  if (values.discoveryMode === 'url' && !/^(https?:\/\/[^\s/]+(:\d+)?\/?|[^\s:/]+:\d+)$/.test(values.discoveryUrl.trim()))
    put('discoveryUrl', 'Discovery URL', 'use https://host[:port] or host:port, e.g. https://discovery.talos.dev');
  for (const issue of schemaIssues(discoveryPlacementSchema, toDiscovery(values))) {
    const [field, label] = placementFields[String(issue.path[0])] ?? ['discoveryMode', 'Discovery'];
    put(field, label, issue.message);
  }
  return errors;
}

/** The contract's discovery placement for the form's values. */
export function toDiscovery(values: ClusterFormValues): DiscoveryPlacement {
  if (values.discoveryMode === 'url') return { mode: 'url', url: values.discoveryUrl.trim() };
  const port = wholeNumber(values.discoveryPort) ?? Number.NaN;
  const address = values.discoveryAddress.trim();
  if (values.discoveryMode === 'embedded') return address ? { mode: 'embedded', port, address } : { mode: 'embedded', port };
  const tls = values.discoveryTransport === 'h2c' ? { tls: false } : {};
  return values.discoveryNode ? { mode: 'node', node: values.discoveryNode, port, ...tls } : { mode: 'node', port, ...tls };
}
