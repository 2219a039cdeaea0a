import type { AgentTarget } from '../api/client.js';
import type { Command } from '../shared/cli.js';
import { SpanwiseError, UsageError } from '../shared/errors.js';
import { outputFormat, outputOptionHelp, outputOptions } from '../shared/output-format.js';
import { GET_TYPE_NAMES, GET_TYPES, resolveGetType } from './get-types.js';
import { hostPaths } from '../shared/host-paths.js';

/** The local API socket of an agent with the default runtime dir. */
export const DEFAULT_SOCKET = `${hostPaths.runtimeDir}/agent.sock`;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The agent the flags name: the local socket, or a remote agent over mutual TLS. */
async function agentTarget(values: Record<string, unknown>): Promise<AgentTarget> {
  const node = str(values.node);
  if (!node) return { kind: 'unix', path: str(values.socket) ?? DEFAULT_SOCKET };
  const [ca, cert, key] = [str(values.ca), str(values.cert), str(values.key)];
  if (!ca || !cert || !key) throw new UsageError('--node needs --ca, --cert and --key (the desktop role client certificate, signed by the cluster CA)');
  const machine = str(values.name);
  if (!machine) throw new UsageError('--node needs --name: the machine name its agent certificate must carry');
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(node)) throw new UsageError('--node must be HOST:PORT, e.g. 192.0.2.10:50000');
  const { readApiTls } = await import('../api/server.js');
  return { kind: 'tcp', address: node, machine, tls: await readApiTls({ ca, cert, key }) };
}

/** `spanwise-agent get TYPE [ID] [-w]`: reads or watches resources of the local agent, or a remote one over mutual TLS. */
export const getCommand: Command = {
  path: ['get'],
  summary: `print resources, or stream their changes with -w: ${GET_TYPES.map((t) => t.name).join(', ')} (talosctl's kubespan... names work too)`,
  usage: `TYPE [ID] [-w] [-o table|wide|json|yaml] [--socket PATH | --node HOST:PORT --name NODE --ca F --cert F --key F]\n\nTYPE (any case):\n${GET_TYPES.map((t) => `  ${t.name.padEnd(12)}  ${t.aliases.join(', ')}`).join('\n')}`,
  positionals: true,
  options: {
    ...outputOptions,
    watch: { type: 'boolean', short: 'w' },
    node: { type: 'string', short: 'n' },
    name: { type: 'string' },
    socket: { type: 'string', default: DEFAULT_SOCKET },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
  optionHelp: {
    ...outputOptionHelp,
    watch: {
      description:
        'print the resources, then every change until Ctrl-C (a * column: + created, * updated, - destroyed; one JSON line or YAML document per event)',
    },
    node: { description: 'read a remote agent over mutual TLS instead of the local socket', value: 'HOST:PORT' },
    name: { description: 'with --node: the machine name the agent certificate must carry', value: 'NODE' },
    socket: { description: 'the local agent API socket', default: DEFAULT_SOCKET, value: 'PATH' },
    ca: { description: 'with --node: the cluster CA (PEM)', value: 'FILE' },
    cert: { description: 'with --node: the desktop client certificate (PEM)', value: 'FILE' },
    key: { description: 'with --node: the desktop client key (PEM)', value: 'FILE' },
  },
  positionalChoices: GET_TYPE_NAMES,
  examples: [
    'spanwise-agent get kubespanpeerstatuses',
    'spanwise-agent get kubespanpeerstatus KEY= -o yaml',
    'spanwise-agent get peers -w',
    'spanwise-agent get endpoints -o json --node 192.0.2.10:50000 --name edge1 --ca ca.pem --cert desktop.pem --key desktop.key',
  ],
  async run(values, positionals) {
    const [typeName, id, ...extra] = positionals;
    if (!typeName) throw new UsageError('give a resource type', `one of ${GET_TYPES.map((t) => t.name).join(', ')}`);
    if (extra.length > 0) throw new UsageError(`expected TYPE [ID], got ${positionals.length} words`);
    const type = resolveGetType(typeName);
    const format = outputFormat(values);
    const target = await agentTarget(values);
    const node = target.kind === 'tcp' ? target.address : undefined;
    const layout = { spec: type.spec, node };
    // Loaded on use: other commands (the daemon, the supervisor) do not carry the client and printers.
    const { agentClient, listResources } = await import('../api/client.js');
    const client = agentClient(target);
    try {
      if (values.watch === true) {
        const { EventPrinter, watchChanges } = await import('./get-watch.js');
        return await watchChanges(client, type, new EventPrinter(format, layout, (text) => process.stdout.write(text)), id);
      }
      const { renderResource, renderResources } = await import('./output.js');
      const api = type.kind.api;
      if (!api) throw new SpanwiseError('NOT_SERVED', `${type.name} is not served by the agent API`);
      const resources = [...(await listResources(client, [api.type])).resources];
      if (id === undefined) {
        resources.sort((a, b) => (a.spec?.$case === 'endpoint' && b.spec?.$case === 'endpoint' ? a.spec.value.order - b.spec.value.order : 0));
        process.stdout.write(renderResources(resources, format, layout));
        return 0;
      }
      const one = resources.find((r) => r.metadata?.id === id);
      if (!one)
        throw new SpanwiseError('NOT_FOUND', `${type.name} '${id}' not found on this agent`, `'spanwise-agent get ${type.name}' lists the ids there are`);
      process.stdout.write(renderResource(one, format, layout));
      return 0;
    } finally {
      client.close();
    }
  },
};
