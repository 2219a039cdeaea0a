import type { Finding } from '../../contract/diagnosis.js';
import { problemCodes } from '../../../agent/shared/health-codes.js';

type Pair = { from: string; to: string };

const portName = (f: Finding) => (f.protocol && f.port ? `${f.protocol.toUpperCase()} ${f.port}` : 'the port');
const list = (names: string[]) => (names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const fallbackImpact = {
  error: 'Part of the mesh does not work until this is fixed.',
  warning: 'The mesh works for now, but this can break it.',
  info: 'Nothing is broken; worth knowing.',
} as const;

/** A plain title and a one-line impact for a root cause, from its lead finding and the pairs it affects. */
export function causeText(lead: Finding, pairs: Pair[]): { title: string; impact: string } {
  const node = list(lead.nodes);
  const port = portName(lead);
  const blocked = lead.where === 'host' ? 'blocked by its own firewall' : 'blocked upstream of the host';
  const affected = pairs.length > 0 ? plural(pairs.length, 'direction') : 'its pairs';
  switch (lead.code) {
    case 'UDP_51820_INBOUND_BLOCKED':
      return {
        title: `${node} does not accept ${port} inbound (${blocked})`,
        impact:
          lead.severity === 'error'
            ? `${affected} towards ${node} cannot come up.`
            : `${node}'s pairs stay up only while ${node} dials out; they break when a NAT or firewall mapping expires.`,
      };
    case 'UDP_51820_OUTBOUND_BLOCKED':
    case 'TCP_50000_OUTBOUND_BLOCKED':
      return {
        title: `${port} from ${node} does not leave its ${lead.where === 'host' ? 'host' : 'site'}`,
        impact: `${node} cannot reach ${affected} on ${port}.`,
      };
    case 'TCP_50000_UNREACHABLE':
      return {
        title: `${node}'s agent API does not answer on ${port}`,
        impact: lead.severity === 'error' ? `The desktop cannot read ${node}'s agent.` : `The desktop reads ${node} through an SSH tunnel instead.`,
      };
    case 'PAIR_NO_INBOUND_END': {
      const [a = '', b = ''] = lead.nodes;
      return {
        title: `Neither ${a} nor ${b} accepts ${port} inbound`,
        impact:
          lead.severity === 'error' ? `${a} and ${b} cannot reach each other.` : `${a} ↔ ${b} is up only by hole punching and breaks when a mapping expires.`,
      };
    }
    case 'BEHIND_NAT':
      return { title: `${node} is behind NAT`, impact: `Peers cannot dial ${node}; it stays reachable by dialing out to them.` };
    case 'PEER_DOWN':
      return { title: lead.pair ? `${lead.pair.from} → ${lead.pair.to} is down` : `A pair of ${node} is down`, impact: 'No traffic flows over this pair.' };
    case 'MTU_TOO_LARGE':
    case 'MTU_ABOVE_UNDERLAY':
      return {
        title: `The mesh MTU is too large for ${lead.pair ? `${lead.pair.from} → ${lead.pair.to}` : node}`,
        impact: 'Large packets are dropped, so big transfers stall.',
      };
    default: {
      const text = problemCodes[lead.code].text;
      return { title: node ? `${node}: ${text}` : `${text.charAt(0).toUpperCase()}${text.slice(1)}`, impact: fallbackImpact[lead.severity] };
    }
  }
}
