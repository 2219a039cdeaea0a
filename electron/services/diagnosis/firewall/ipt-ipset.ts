import { addressMatch, ifaceMatch, type Packet, type Tri } from './ipt-packet.js';
import { portListHas } from './types.js';

/** One set of `ipset save`: its type's dimensions (e.g. `ip`, `port`), its family and its members. */
export interface IpSet {
  type: string;
  dims: string[];
  family: 'ipv4' | 'ipv6';
  members: string[];
}

const MAX_MEMBERS = 200_000;

/** Parses `ipset save` (`create NAME TYPE [options]` and `add NAME MEMBER` lines); lines it does not know are skipped. */
export function parseIpsetSave(text: string | undefined): Map<string, IpSet> {
  const sets = new Map<string, IpSet>();
  let count = 0;
  for (const line of (text ?? '').split('\n')) {
    const create = /^create (\S{1,64}) ((?:hash|bitmap|list):(\S+))(.*)$/.exec(line.trim());
    if (create) {
      const dims = (create[3] as string).split(',');
      sets.set(create[1] as string, { type: create[2] as string, dims, family: /\bfamily inet6\b/.test(create[4] ?? '') ? 'ipv6' : 'ipv4', members: [] });
      continue;
    }
    const add = /^add (\S{1,64}) (\S+)/.exec(line.trim());
    const set = add ? sets.get(add[1] as string) : undefined;
    if (set && !/\snomatch\b/.test(line) && (count += 1) <= MAX_MEMBERS) set.members.push(add?.[2] as string);
  }
  return sets;
}

function dimMatch(dim: string, flag: string, value: string, p: Packet): Tri {
  const peerSide = (flag === 'src') === (p.direction === 'inbound');
  if (dim === 'ip' || dim === 'net') return addressMatch(value, peerSide ? 'peer' : 'host', p);
  if (dim === 'port') {
    const [proto, port] = value.includes(':') ? value.split(':') : [null, value];
    if (proto && proto !== p.protocol) return false;
    return flag === 'dst' ? portListHas((port ?? '').replace('-', ':'), p.port) : `the source port may be ${value}`;
  }
  if (dim === 'iface') return ifaceMatch(value, p);
  return `cannot evaluate a ${dim} member`;
}

/** Whether `-m set --match-set NAME FLAGS` holds: some member matches in every dimension. */
export function setMatch(name: string, flags: string, p: Packet): Tri {
  const set = p.sets?.get(name);
  if (!set) return `ipset ${name} is not read`;
  if (set.type.startsWith('list:')) return `ipset ${name} is a list of sets`;
  const dims = set.dims;
  if (set.family !== p.family && dims.some((d) => d === 'ip' || d === 'net')) return false;
  const fl = flags.split(',');
  let maybe: string | null = null;
  for (const member of set.members) {
    const parts = member.split(',');
    let hit: Tri = true;
    for (let i = 0; i < dims.length && hit !== false; i += 1) {
      const m = dimMatch(dims[i] as string, fl[i] ?? fl[fl.length - 1] ?? 'src', parts[i] ?? '', p);
      hit = m === false ? false : typeof m === 'string' ? m : hit;
    }
    if (hit === true) return true;
    if (typeof hit === 'string') maybe ??= `ipset ${name}: ${hit}`;
  }
  return maybe ?? false;
}
