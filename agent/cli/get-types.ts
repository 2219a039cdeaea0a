import type { Resource } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { UsageError } from '../shared/errors.js';
import { ConfigKind, EndpointKind, HealthKind, IdentityKind, PeerSpecKind, PeerStatusKind, type ResourceKind } from '../resources/kinds.js';

/** Which spec a resource of the API carries. */
export type SpecCase = NonNullable<Resource['spec']>['$case'];

/** One resource type `get` prints: its canonical name, the other names it answers to, its store kind and API spec. */
export interface GetType {
  /** The canonical (plural, short) name, as the store names the kind. */
  name: string;
  /** talosctl's names (plural and singular), the singular, and short aliases. */
  aliases: readonly string[];
  kind: ResourceKind<unknown>;
  spec: SpecCase;
}

/** Every type `get` accepts, in the order help lists them. */
export const GET_TYPES: readonly GetType[] = [
  { name: 'identities', aliases: ['kubespanidentities', 'kubespanidentity', 'identity', 'ksi'], kind: IdentityKind, spec: 'identity' },
  { name: 'peerspecs', aliases: ['kubespanpeerspecs', 'kubespanpeerspec', 'peerspec', 'ksps'], kind: PeerSpecKind, spec: 'peerSpec' },
  { name: 'peerstatuses', aliases: ['kubespanpeerstatuses', 'kubespanpeerstatus', 'peerstatus', 'peers', 'kspst'], kind: PeerStatusKind, spec: 'peerStatus' },
  { name: 'endpoints', aliases: ['kubespanendpoints', 'kubespanendpoint', 'endpoint', 'kse'], kind: EndpointKind, spec: 'endpoint' },
  { name: 'health', aliases: ['healthwarnings', 'healthwarning', 'warnings'], kind: HealthKind, spec: 'healthWarning' },
  { name: 'config', aliases: ['kubespanconfigs', 'kubespanconfig', 'configs', 'ksc'], kind: ConfigKind, spec: 'config' },
] as GetType[];

/** Every accepted name, canonical ones first. */
export const GET_TYPE_NAMES: readonly string[] = [...GET_TYPES.map((t) => t.name), ...GET_TYPES.flatMap((t) => t.aliases)];

/** The type a name on the command line means (any case); an unknown name is a usage error listing the accepted ones. */
export function resolveGetType(name: string): GetType {
  const wanted = name.toLowerCase();
  const found = GET_TYPES.find((t) => t.name === wanted || t.aliases.includes(wanted));
  if (!found) {
    throw new UsageError(
      `unknown resource type '${name}'; accepted: ${GET_TYPES.map((t) => `${t.name} (${t.aliases.join(', ')})`).join('; ')}`,
      `for example: spanwise-agent get ${GET_TYPES[2]?.aliases[0] ?? 'peerstatuses'}`,
    );
  }
  return found;
}
