import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { formatIp, ipFromBytes, isLinkLocal, isLoopback, parseIp } from '../../../agent/shared/ip.js';
import type { StepContext } from '../onboarding/context.js';
import { runAsRoot } from '../ssh/privileged.js';
import { shellQuote } from '../ssh/shell.js';
import { hostRuntime } from '../onboarding/runtime-files.js';

/** How the nodes of a cluster with embedded discovery reach this desktop's discovery service. */
export interface EmbeddedDiscoveryTarget {
  port: number;
  /** The address the user set for the cluster, or null to learn it per node from its SSH session. */
  address: string | null;
  /** Where this desktop itself lists the members, "127.0.0.1:PORT". */
  localEndpoint: string;
}

/** The two ends of an SSH connection as the host sees them (`$SSH_CONNECTION`), canonical IPs. */
export interface SshConnectionEnds {
  client: string;
  server: string;
}

const MAX_CANDIDATES = 8;

function canonicalIp(text: string | undefined): string | null {
  if (!text || text.length > 45) return null;
  const addr = parseIp(text);
  const plain = addr?.family === 6 ? ipFromBytes(addr.bytes, true) : addr;
  return plain ? formatIp(plain) : null;
}

/**
 * Parses `$SSH_CONNECTION` ("client-ip client-port server-ip server-port"), which comes
 * from another machine: anything but four fields with two plain IPs is refused.
 */
export function parseSshConnection(text: string): SshConnectionEnds | null {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 4 || !fields.every((f) => f.length <= 45)) return null;
  const [client, clientPort, server, serverPort] = fields;
  if (!/^\d{1,5}$/.test(clientPort ?? '') || !/^\d{1,5}$/.test(serverPort ?? '')) return null;
  const ends = { client: canonicalIp(client), server: canonicalIp(server) };
  return ends.client && ends.server ? { client: ends.client, server: ends.server } : null;
}

/** This desktop's addresses another host might reach: not loopback, not link-local; IPv4 first. */
export function desktopAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const found = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal)
    .map((i) => parseIp(i.address))
    .filter((a) => a !== undefined && !isLoopback(a) && !isLinkLocal(a))
    .sort((a, b) => (a?.family ?? 0) - (b?.family ?? 0))
    .map((a) => formatIp(a as NonNullable<typeof a>));
  return [...new Set(found)];
}

/**
 * The addresses tried from a node, in order: the one set for the cluster alone; else the
 * desktop's address as the node sees it (not with a jump host: then it is the jump host's),
 * then this desktop's own addresses.
 */
export function discoveryCandidates(input: { fixed: string | null; seen: string | null; jumped: boolean; local: string[] }): string[] {
  if (input.fixed) return [input.fixed];
  const first = input.seen && !input.jumped ? [input.seen] : [];
  return [...new Set([...first, ...input.local])].slice(0, MAX_CANDIDATES);
}

/** A TCP connect to each argument host on the port, in parallel; prints "host open|timeout|ECODE". */
const PROBE_JS = `const n=require("net"),p=Number(process.argv[1]);for(const h of process.argv.slice(2)){let d=false;const s=n.connect({host:h,port:p,timeout:2500});const f=(r)=>{if(d)return;d=true;console.log(h+" "+r);s.destroy()};s.once("connect",()=>f("open"));s.once("timeout",()=>f("timeout"));s.once("error",(e)=>f(e.code||"error"))}`;

async function probeFromHost(ctx: StepContext, port: number, candidates: string[]): Promise<Map<string, string> | null> {
  const command = `${hostRuntime.link} -e ${shellQuote(PROBE_JS)} ${port} ${candidates.map(shellQuote).join(' ')}`;
  const result = await runAsRoot(ctx.session, command, ctx.sudoPassword);
  if (result.code !== 0) return null;
  const outcomes = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const [host = '', outcome = ''] = line.trim().split(' ');
    if (candidates.includes(host) && !outcomes.has(host)) outcomes.set(host, outcome.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'error');
  }
  return outcomes;
}

const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * The discovery URL written into one node's agent config: the first candidate address the
 * node itself can open TCP to on the port (tested from the node, as root, with its Node.js).
 * Fails with the addresses tried and what each answered when none opens.
 */
export async function embeddedDiscoveryUrl(ctx: StepContext, target: EmbeddedDiscoveryTarget): Promise<string> {
  const { name, jump } = ctx.machine;
  const hop = jump[jump.length - 1];
  let seen: string | null = null;
  if (!target.address) {
    seen = parseSshConnection((await ctx.session.exec('echo "$SSH_CONNECTION"')).stdout)?.client ?? null;
    if (!seen) ctx.log("the host's $SSH_CONNECTION is missing or unreadable; trying this desktop's own addresses");
    else if (hop)
      ctx.log(
        `${name} is reached through jump host ${hop.host}: the address it sees (${seen}) is the jump host's, not this desktop's, so this desktop's own addresses are tried`,
      );
  }
  const candidates = discoveryCandidates({ fixed: target.address, seen, jumped: hop !== undefined, local: desktopAddresses() });
  const fix = `let ${name} reach this desktop on TCP ${target.port} (this desktop's firewall must accept it), give the address nodes reach this desktop at when creating the cluster ('Address nodes reach this app at', --discovery-address), or place discovery on a node or at a URL`;
  if (candidates.length === 0) throw new SpanwiseError('DISCOVERY_NO_ADDRESS', `no address of this desktop to give ${name} for discovery`, fix);
  const outcomes = await probeFromHost(ctx, target.port, candidates);
  if (!outcomes) {
    ctx.log(`warning: could not test TCP ${target.port} from ${name} (no node on its PATH); using ${urlOf(candidates[0] as string, target.port)}`);
    return urlOf(candidates[0] as string, target.port);
  }
  const chosen = candidates.find((c) => outcomes.get(c) === 'open');
  if (!chosen) {
    const tried = candidates.map((c) => `${c}: ${outcomes.get(c) ?? 'no answer'}`).join(', ');
    const through = hop ? `; ${name} is reached through jump host ${hop.host}, so it may not reach this desktop at all` : '';
    throw new SpanwiseError('DISCOVERY_UNREACHABLE_FROM_NODE', `${name} cannot open TCP ${target.port} to this app's discovery (${tried})${through}`, fix);
  }
  const why = target.address
    ? 'the address set for the cluster'
    : chosen === seen
      ? `this desktop as ${name} sees it in its SSH session`
      : "one of this desktop's own addresses";
  const url = urlOf(chosen, target.port);
  ctx.log(`discovery: this app at ${url} (${why}; TCP ${target.port} opens from ${name})`);
  return url;
}
