import type { RelaySetting } from '../../contract/settings.js';

/**
 * Problems with relays against the cluster's machines, each naming the field: every end and every
 * relay must be a machine of the cluster (a Spanwise node). A Talos member cannot take part: Talos
 * KubeSpan drops packets for addresses it did not route to that peer itself.
 */
export function relayProblems(relays: readonly RelaySetting[], machines: ReadonlySet<string>, cluster: string): string[] {
  return relays.flatMap((relay, i) =>
    [...relay.between.map((name, j) => ({ name, field: `settings.relays[${i}].between[${j}]` })), { name: relay.via, field: `settings.relays[${i}].via` }]
      .filter(({ name }) => !machines.has(name))
      .map(
        ({ name, field }) =>
          `${field}: '${name}' is not a Spanwise machine of cluster ${cluster}; relays join Spanwise nodes only (Talos KubeSpan drops relayed packets): use names from \`spanwise machines list\``,
      ),
  );
}
