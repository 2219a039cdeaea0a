import type { DiscoveryPlacement } from '../../electron/contract/index.js';
import type { FieldErrors } from './machine-form.js';
import { nameRule, portRule } from './rules.js';

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

export const emptyClusterForm: ClusterFormValues = { name: '', discoveryMode: 'node', discoveryNode: '', discoveryPort: '3000', discoveryUrl: '', discoveryAddress: '', discoveryTransport: 'tls' };

/** Checks every field; the messages name the field and the fix. */
export function validateClusterForm(values: ClusterFormValues): FieldErrors<ClusterField> {
  const errors: FieldErrors<ClusterField> = {};
  const name = nameRule('Cluster name')(values.name);
  if (name) errors.name = name;
  if (values.discoveryMode !== 'url') {
    const port = portRule('Discovery port')(values.discoveryPort);
    if (port) errors.discoveryPort = port;
  }
  if (values.discoveryMode === 'node' && values.discoveryNode !== '') {
    const node = nameRule('Discovery node')(values.discoveryNode);
    if (node) errors.discoveryNode = node;
  }
  const address = values.discoveryAddress.trim();
  if (values.discoveryMode === 'embedded' && address !== '' && (address.length > 253 || !/^(?:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$/.test(address))) {
    errors.discoveryAddress = 'Address nodes reach this app at: use an IP address or a DNS name without a port, e.g. 192.168.1.20, or leave it empty';
  }
  if (values.discoveryMode === 'url' && !/^(https?:\/\/[^\s/]+(:\d+)?\/?|[^\s:/]+:\d+)$/.test(values.discoveryUrl.trim())) {
    errors.discoveryUrl = 'Discovery URL: use https://host[:port] or host:port, e.g. https://discovery.talos.dev';
  }
  return errors;
}

/** The contract's discovery placement for valid values. */
export function toDiscovery(values: ClusterFormValues): DiscoveryPlacement {
  if (values.discoveryMode === 'url') return { mode: 'url', url: values.discoveryUrl.trim() };
  const port = Number(values.discoveryPort);
  const address = values.discoveryAddress.trim();
  if (values.discoveryMode === 'embedded') return address ? { mode: 'embedded', port, address } : { mode: 'embedded', port };
  const tls = values.discoveryTransport === 'h2c' ? { tls: false } : {};
  return values.discoveryNode ? { mode: 'node', node: values.discoveryNode, port, ...tls } : { mode: 'node', port, ...tls };
}
