import type { AgentTarget } from '../api/client.js';
import type { ResourceKind } from '../resources/kinds.js';
import type { Command } from '../lib/cli.js';
import { UsageError } from '../lib/errors.js';

/** The local API socket of an agent with the default runtime dir. */
export const DEFAULT_SOCKET = '/run/spanwise/agent.sock';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** `spanwise-agent get TYPE`: reads resources from the local agent, or a remote one over mutual TLS. */
export const getCommand: Command = {
  path: ['get'],
  summary: 'print resources: identities, peerspecs, peerstatuses, endpoints, health, config',
  usage: 'identities|peerspecs|peerstatuses|endpoints|health|config [-o table|yaml|json] [--socket PATH | --node HOST:50000 --name NODE --ca F --cert F --key F]',
  positionals: true,
  options: {
    output: { type: 'string', short: 'o', default: 'table' },
    node: { type: 'string', short: 'n' },
    name: { type: 'string' },
    socket: { type: 'string', default: DEFAULT_SOCKET },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
  async run(values, positionals) {
    // Loaded on use: other commands (the daemon, the supervisor) do not carry the client and printers.
    const { agentClient, listResources } = await import('../api/client.js');
    const { readApiTls } = await import('../api/server.js');
    const { GET_TYPES, renderResources } = await import('./output.js');
    const { ConfigKind, EndpointKind, HealthKind, IdentityKind, PeerSpecKind, PeerStatusKind } = await import('../resources/kinds.js');
    type GetType = (typeof GET_TYPES)[number];
    const KINDS: Record<GetType, ResourceKind<unknown>> = {
      identities: IdentityKind,
      peerspecs: PeerSpecKind,
      peerstatuses: PeerStatusKind,
      endpoints: EndpointKind,
      health: HealthKind,
      config: ConfigKind,
    } as Record<GetType, ResourceKind<unknown>>;
    const [typeName, ...extra] = positionals;
    if (!typeName || extra.length || !GET_TYPES.includes(typeName as GetType)) throw new UsageError(`expected one resource type: ${GET_TYPES.join(', ')}`);
    const format = str(values.output);
    if (format !== 'table' && format !== 'yaml' && format !== 'json') throw new UsageError('-o must be table, yaml or json');
    const node = str(values.node);
    let target: AgentTarget;
    if (node) {
      const [ca, cert, key] = [str(values.ca), str(values.cert), str(values.key)];
      if (!ca || !cert || !key) throw new UsageError('--node needs --ca, --cert and --key (the desktop role client certificate, signed by the cluster CA)');
      const machine = str(values.name);
      if (!machine) throw new UsageError('--node needs --name: the machine name its agent certificate must carry');
      if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(node)) throw new UsageError('--node must be HOST:PORT, e.g. 192.0.2.10:50000');
      target = { kind: 'tcp', address: node, machine, tls: await readApiTls({ ca, cert, key }) };
    } else {
      target = { kind: 'unix', path: str(values.socket) ?? DEFAULT_SOCKET };
    }
    const kind = KINDS[typeName as GetType];
    if (!kind.api) throw new UsageError(`unknown type ${typeName}`);
    const client = agentClient(target);
    try {
      const response = await listResources(client, [kind.api.type]);
      const resources = [...response.resources];
      if (typeName === 'endpoints') resources.sort((a, b) => (a.spec?.$case === 'endpoint' && b.spec?.$case === 'endpoint' ? a.spec.value.order - b.spec.value.order : 0));
      process.stdout.write(renderResources(resources, format, node));
    } finally {
      client.close();
    }
  },
};
