import type { ResourceType, Resource } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { API_KINDS, type ResourceKind } from '../resources/kinds.js';
import type { StoredResource } from '../resources/store.js';

/** The store kind serving an API resource type; undefined for unknown or unspecified types. */
export function kindOfType(type: ResourceType): ResourceKind<unknown> | undefined {
  return API_KINDS.find((k) => k.api?.type === type);
}

/** Converts a stored resource to its API form; undefined for internal kinds (never served). */
export function toApiResource(stored: StoredResource, metadataOnly = false): Resource | undefined {
  const api = stored.kind.api;
  if (!api) return undefined;
  return {
    metadata: { type: api.type, id: stored.id, version: stored.version, updated: new Date(stored.updated) },
    spec: metadataOnly ? undefined : api.toSpec(stored.spec),
  };
}

/** Validates requested types: each must be a known, specified type. Returns the kind names (all when empty). */
export function kindNamesOf(types: readonly ResourceType[]): string[] {
  const names: string[] = [];
  for (const [i, type] of types.entries()) {
    const kind = kindOfType(type);
    if (!kind) throw new Error(`types[${i}]: ${type} is not a resource type (use 1..6)`);
    names.push(kind.name);
  }
  return names.length ? names : API_KINDS.map((k) => k.name);
}
