import type { Command } from '../../agent/lib/cli.js';
import { UsageError } from '../../agent/lib/errors.js';
import type { ClusterSettings, SettingsView } from '../contract/settings.js';
import { dataDirOption } from './options.js';
import { print, withServices } from './services.js';

function bool(value: unknown, flag: string, current: boolean): boolean {
  if (value === undefined) return current;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`--${flag} must be true or false, got '${String(value)}'`);
}

function show(view: SettingsView): string {
  const s = view.settings;
  const list = (items: string[]) => (items.length ? items.join(', ') : '(none)');
  return [
    `cluster ${view.cluster}`,
    `mtu                          ${s.mtu}${view.recommendedMtu ? `  (recommended ${view.recommendedMtu}: ${view.recommendation})` : ''}`,
    `allowDownPeerBypass          ${s.allowDownPeerBypass}`,
    `advertiseKubernetesNetworks  ${s.advertiseKubernetesNetworks}`,
    `harvestExtraEndpoints        ${s.harvestExtraEndpoints}`,
    `endpoint filters             ${list(s.endpointFilters)}`,
    `excluded networks            ${list(s.excludeAdvertisedNetworks)}`,
    `extra discovery endpoints    ${list(s.extraDiscoveryEndpoints)}`,
  ].join('\n');
}

/** `spanwise settings show|set`: the current cluster's mesh settings. */
export const settingsCommands: Command[] = [
  {
    path: ['settings', 'show'],
    summary: "show the current cluster's mesh settings and the recommended MTU",
    usage: '[--json]',
    options: { ...dataDirOption, json: { type: 'boolean' } },
    async run(values) {
      const view = await withServices(values, (s) => s.settings.get());
      print(values, view, () => show(view));
    },
  },
  {
    path: ['settings', 'set'],
    summary: 'change mesh settings (checked like the agent checks its config), then apply them to every onboarded node',
    usage:
      '[--mtu N] [--endpoint-filter CIDR|!CIDR]... [--exclude-network CIDR]... [--discovery-endpoint URL]... [--allow-down-peer-bypass true|false] [--advertise-kubernetes-networks true|false] [--harvest-extra-endpoints true|false] [--no-apply] [--json]',
    options: {
      ...dataDirOption,
      mtu: { type: 'string' },
      'endpoint-filter': { type: 'string', multiple: true },
      'exclude-network': { type: 'string', multiple: true },
      'discovery-endpoint': { type: 'string', multiple: true },
      'allow-down-peer-bypass': { type: 'string' },
      'advertise-kubernetes-networks': { type: 'string' },
      'harvest-extra-endpoints': { type: 'string' },
      'no-apply': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    async run(values) {
      const result = await withServices(values, async (services) => {
        const current = services.settings.get().settings;
        const mtu = values.mtu === undefined ? current.mtu : Number(values.mtu);
        if (!Number.isInteger(mtu) || mtu < 1280 || mtu > 9000) throw new UsageError(`--mtu must be a whole number from 1280 to 9000, got '${String(values.mtu)}'`);
        const next: ClusterSettings = {
          mtu,
          endpointFilters: (values['endpoint-filter'] as string[] | undefined) ?? current.endpointFilters,
          excludeAdvertisedNetworks: (values['exclude-network'] as string[] | undefined) ?? current.excludeAdvertisedNetworks,
          extraDiscoveryEndpoints: (values['discovery-endpoint'] as string[] | undefined) ?? current.extraDiscoveryEndpoints,
          allowDownPeerBypass: bool(values['allow-down-peer-bypass'], 'allow-down-peer-bypass', current.allowDownPeerBypass),
          advertiseKubernetesNetworks: bool(values['advertise-kubernetes-networks'], 'advertise-kubernetes-networks', current.advertiseKubernetesNetworks),
          harvestExtraEndpoints: bool(values['harvest-extra-endpoints'], 'harvest-extra-endpoints', current.harvestExtraEndpoints),
        };
        return services.settings.update(next, values['no-apply'] !== true);
      });
      print(values, result, () => `${show(result.view)}\n${result.applied.length ? result.applied.map((r) => `${r.machine}: ${r.ok ? 'applied' : `failed at ${r.failedStep}: ${r.error?.message}`}`).join('\n') : 'no onboarded node to apply to'}`);
      return result.applied.every((r) => r.ok) ? 0 : 1;
    },
  },
];
