import type { Command } from '../../agent/shared/cli.js';
import { outputFormat, tableText } from '../../agent/shared/output-format.js';
import type { ClusterSettings, SettingsView } from '../contract/settings.js';
import { withClient } from './client.js';
import { pushLine, withProgressLines } from './onboard-progress.js';
import { booleanFlag, dataHelp, dataOptions, numberFlag } from './options.js';
import { print } from './output.js';
import { relaysAfter, relayText } from './relay-flags.js';

function show(view: SettingsView): string {
  const s = view.settings;
  const list = (items: string[]) => (items.length ? items.join(', ') : '(none)');
  return `cluster ${view.cluster}\n${tableText(
    ['setting', 'value'],
    [
      ['mtu', `${s.mtu}${view.recommendedMtu ? `  (recommended ${view.recommendedMtu}: ${view.recommendation})` : ''}`],
      ['allowDownPeerBypass', String(s.allowDownPeerBypass)],
      ['advertiseKubernetesNetworks', String(s.advertiseKubernetesNetworks)],
      ['harvestExtraEndpoints', String(s.harvestExtraEndpoints)],
      ['agentMetrics', String(s.agentMetrics)],
      ['diagnosisIntervalMinutes', s.diagnosisIntervalMinutes ? String(s.diagnosisIntervalMinutes) : '0 (off)'],
      ['endpointFilters', list(s.endpointFilters)],
      ['excludeAdvertisedNetworks', list(s.excludeAdvertisedNetworks)],
      ['extraDiscoveryEndpoints', list(s.extraDiscoveryEndpoints)],
      ['relayMode', s.relayMode],
      ['relays', relayText(s.relays)],
    ],
  )}`;
}

const fields = {
  mtu: '--mtu',
  endpointFilters: '--endpoint-filter',
  excludeAdvertisedNetworks: '--exclude-network',
  extraDiscoveryEndpoints: '--discovery-endpoint',
  allowDownPeerBypass: '--allow-down-peer-bypass',
  advertiseKubernetesNetworks: '--advertise-kubernetes-networks',
  harvestExtraEndpoints: '--harvest-extra-endpoints',
  agentMetrics: '--agent-metrics',
  diagnosisIntervalMinutes: '--diagnosis-interval',
  relays: '--relay',
  relayMode: '--relay-mode',
};
/** Contract paths (`settings.mtu`) and the settings service's own (`mtu`) to flags. */
const flags = { ...fields, ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [`settings.${k}`, v])) };

/** The settings the flags change, over the current ones. */
function changed(values: Record<string, unknown>, current: ClusterSettings): ClusterSettings {
  const list = (flag: string) => values[flag] as string[] | undefined;
  const relays = relaysAfter(values, current.relays ?? []);
  return {
    ...(relays ? { relays } : {}),
    mtu: numberFlag(values.mtu) ?? current.mtu,
    endpointFilters: list('endpoint-filter') ?? current.endpointFilters,
    excludeAdvertisedNetworks: list('exclude-network') ?? current.excludeAdvertisedNetworks,
    extraDiscoveryEndpoints: list('discovery-endpoint') ?? current.extraDiscoveryEndpoints,
    allowDownPeerBypass: booleanFlag(values['allow-down-peer-bypass'], 'allow-down-peer-bypass') ?? current.allowDownPeerBypass,
    advertiseKubernetesNetworks: booleanFlag(values['advertise-kubernetes-networks'], 'advertise-kubernetes-networks') ?? current.advertiseKubernetesNetworks,
    harvestExtraEndpoints: booleanFlag(values['harvest-extra-endpoints'], 'harvest-extra-endpoints') ?? current.harvestExtraEndpoints,
    agentMetrics: booleanFlag(values['agent-metrics'], 'agent-metrics') ?? current.agentMetrics,
    diagnosisIntervalMinutes: numberFlag(values['diagnosis-interval']) ?? current.diagnosisIntervalMinutes,
    relayMode: (values['relay-mode'] as ClusterSettings['relayMode'] | undefined) ?? current.relayMode,
  };
}

const bool = (description: string) => ({ description, default: 'unchanged', value: 'true|false', choices: ['true', 'false'] });

/** `spanwise settings show|set`: the current cluster's mesh settings. */
export const settingsCommands: Command[] = [
  {
    path: ['settings', 'show'],
    summary: "show the current cluster's mesh settings and the recommended MTU",
    usage: '[-o table|wide|json|yaml]',
    options: { ...dataOptions },
    optionHelp: { ...dataHelp },
    examples: ['spanwise settings show', 'spanwise settings show -o yaml'],
    async run(values) {
      const format = outputFormat(values);
      const view = await withClient(values, (c) => c.invoke('settings:get', {}));
      print(format, view, () => show(view));
    },
  },
  {
    path: ['settings', 'set'],
    summary: 'change mesh settings (checked like the agent checks its config), then apply them to every onboarded node',
    usage:
      '[--mtu N] [--endpoint-filter CIDR|!CIDR]... [--exclude-network CIDR]... [--discovery-endpoint URL]... [--allow-down-peer-bypass true|false] [--advertise-kubernetes-networks true|false] [--harvest-extra-endpoints true|false] [--agent-metrics true|false] [--diagnosis-interval MINUTES] [--relay A,B=R]... [--no-relay A,B]... [--relay-mode manual|auto] [--no-apply] [-o FORMAT]',
    options: {
      ...dataOptions,
      mtu: { type: 'string' },
      'endpoint-filter': { type: 'string', multiple: true },
      'exclude-network': { type: 'string', multiple: true },
      'discovery-endpoint': { type: 'string', multiple: true },
      'allow-down-peer-bypass': { type: 'string' },
      'advertise-kubernetes-networks': { type: 'string' },
      'harvest-extra-endpoints': { type: 'string' },
      'agent-metrics': { type: 'string' },
      'diagnosis-interval': { type: 'string' },
      relay: { type: 'string', multiple: true },
      'no-relay': { type: 'string', multiple: true },
      'relay-mode': { type: 'string' },
      'no-apply': { type: 'boolean' },
    },
    optionHelp: {
      ...dataHelp,
      mtu: { description: 'the mesh MTU, 1280 to 9000', default: 'unchanged (1420 for a new cluster)', value: 'N' },
      'endpoint-filter': { description: 'endpoints to dial (CIDR or IP), or !CIDR to skip, in order; replaces the list', default: 'unchanged', value: 'CIDR' },
      'exclude-network': { description: 'a network never routed through the mesh; replaces the list', default: 'unchanged', value: 'CIDR' },
      'discovery-endpoint': { description: 'a discovery URL used besides the cluster placement; replaces the list', default: 'unchanged', value: 'URL' },
      'allow-down-peer-bypass': bool('send traffic for a peer that is down outside the mesh'),
      'advertise-kubernetes-networks': bool("advertise the node's Kubernetes pod networks"),
      'harvest-extra-endpoints': bool('learn extra endpoints of peers from their handshakes'),
      'agent-metrics': bool("serve each agent's Prometheus metrics on its mesh address, port 9587 (off: loopback only)"),
      'diagnosis-interval': {
        description: 'minutes between the diagnoses the open app or spanwise web runs by itself (0: off)',
        default: 'unchanged (10)',
        value: 'MINUTES',
      },
      relay: {
        description: "carry the pair A-B through the Spanwise node R (for a pair with no direct path); replaces that pair's relay",
        default: 'unchanged',
        value: 'A,B=R',
      },
      'no-relay': { description: "remove the pair A-B's relay; the pair goes direct again", default: 'unchanged', value: 'A,B' },
      'relay-mode': {
        description: 'auto: the agents relay a pair one end cannot reach directly through a Spanwise node they pick alike (cloud first); manual: only --relay',
        default: 'unchanged (manual)',
        value: 'manual|auto',
        choices: ['manual', 'auto'],
      },
      'no-apply': { description: 'save only; do not re-apply to the onboarded nodes' },
    },
    examples: [
      'spanwise settings set --mtu 1380',
      'spanwise settings set --endpoint-filter 198.18.0.0/15 --endpoint-filter !10.0.0.0/8 --no-apply',
      'spanwise settings set --relay edge1,edge2=cloud1',
      'spanwise settings set --relay-mode auto',
    ],
    async run(values) {
      const format = outputFormat(values);
      const result = await withClient(values, async (c) => {
        const current = (await c.invoke('settings:get', {})).settings;
        const update = () => c.invoke('settings:update', { settings: changed(values, current), apply: values['no-apply'] !== true }, flags);
        return format === 'json' ? update() : withProgressLines(c.services.events, process.stderr, update);
      });
      const applied = result.applied.length ? result.applied.map(pushLine).join('\n') : 'no onboarded node to apply to';
      print(format, result, () => `${show(result.view)}${applied}`);
      return result.applied.every((r) => r.ok) ? 0 : 1;
    },
  },
];
