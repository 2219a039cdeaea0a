import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { SpanwiseError } from '../shared/errors.js';
import { fieldPath } from '../shared/validation.js';
import { agentConfigSchema, type AgentConfig } from './schema.js';

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const where = fieldPath(issue.path);
    return issue.keys.map((k) => `${where ? `${where}.` : ''}${k}: unknown key (check the spelling; see the config reference)`).join('\n');
  }
  const where = fieldPath(issue.path) || '(top level)';
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) return `${where}: is required`;
  return `${where}: ${issue.message}`;
}

/**
 * Parses and validates config text. Throws CONFIG_INVALID with one line per problem, each naming
 * the field; the cluster secret never appears in the message. Touches nothing.
 */
export function parseAgentConfig(text: string, source = 'config'): AgentConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new SpanwiseError('CONFIG_INVALID', `${source}: not valid YAML: ${detail}`);
  }
  const result = agentConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((issue) => describeIssue(issue, raw ?? {}));
    throw new SpanwiseError('CONFIG_INVALID', `${source}: ${lines.join('\n  ')}`, 'fix the named fields; the network was left as it was');
  }
  return result.data;
}

/** Reads and validates the config file. */
export async function loadAgentConfig(path: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SpanwiseError('CONFIG_UNREADABLE', `cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseAgentConfig(text, path);
}

/** The config as the API shows it: no secret, no file paths to keys. */
export function publicConfig(config: AgentConfig, backend: string) {
  return {
    enabled: config.enabled,
    clusterId: config.cluster.id,
    mtu: config.mtu,
    allowDownPeerBypass: config.allowDownPeerBypass,
    advertiseKubernetesNetworks: config.advertiseKubernetesNetworks,
    harvestExtraEndpoints: config.harvestExtraEndpoints,
    endpointFilters: config.filters.endpoints,
    excludeAdvertisedNetworks: config.filters.excludeAdvertisedNetworks,
    extraAnnouncedEndpoints: config.extraAnnouncedEndpoints,
    discoveryEndpoints: config.discovery.endpoints,
    podCidrs: config.podCIDRs,
    wireguardBackend: backend,
    timing: config.timing,
  };
}
