import { randomBytes } from 'node:crypto';
import { DESKTOP } from './constants.js';
import { labExec } from './exec.js';
import { type RunResult, run, sleep } from './run.js';
import type { Proto } from './scenario.js';
import { isListening } from './sshd.js';
import { type LabStatus, findHost } from './status.js';

/** Options for one probe. */
export interface ProbeOptions {
  /** Source port for the sender (e.g. 51820, to watch a NAT keep or change it). */
  sourcePort?: number;
  /** How long to wait for a flow that may never arrive; default 2 s (TCP connect), 1.5 s (UDP). */
  waitMs?: number;
}

/** What a probe saw. */
export interface ProbeResult {
  /** The listener on the target host received the flow. */
  reachable: boolean;
  /** Source address and port as the target saw them (after any NAT); null if nothing arrived. */
  seenFrom: { address: string; port: number } | null;
}

/**
 * The address `from` dials to reach `to`, as a real peer would: the LAN
 * address inside the same site, else `to`'s public address (its gateway's
 * WAN address when it sits behind one).
 */
export function addressFor(status: LabStatus, from: string, to: string): string {
  const target = findHost(status, to);
  if (from !== DESKTOP) {
    const source = findHost(status, from);
    const sameLan =
      target.privateAddress !== null &&
      ((source.gateway === target.gateway && source.gateway !== null) || source.name === target.gateway || target.name === source.gateway);
    if (sameLan) return target.privateAddress as string;
  }
  return target.reachableAddress;
}

function execIn(host: string, command: string, input?: string, timeoutMs = 15_000): Promise<RunResult> {
  const opts = { allowFailure: true, timeoutMs, ...(input === undefined ? {} : { input }) };
  return host === DESKTOP ? run(['/bin/sh', '-c', command], opts) : labExec(host, command, opts);
}

/**
 * Opens one new flow from `from` to `to`:`port` with plain netcat and reports
 * whether a listener started on `to` got it. The listener is `nc -l` on the
 * target host (so a flow that lands on its gateway instead does not count);
 * for TCP 22 the host's sshd is the listener and a completed handshake counts.
 */
export async function probe(status: LabStatus, from: string, to: string, proto: Proto, port: number, options: ProbeOptions = {}): Promise<ProbeResult> {
  const address = addressFor(status, from, to);
  const wait = options.waitMs ?? (proto === 'udp' ? 1500 : 2000);
  const waitSec = Math.max(1, Math.ceil(wait / 1000));
  const sport = options.sourcePort ? `-p ${options.sourcePort} ` : '';
  if (proto === 'tcp' && port === 22) {
    const r = await execIn(from, `nc -n -z -w ${waitSec} ${sport}${address} 22`);
    return { reachable: r.code === 0, seenFrom: null };
  }

  const target = findHost(status, to);
  const id = randomBytes(6).toString('hex');
  const pidFile = `/tmp/.swprobe-${id}.pid`;
  const listenCmd = proto === 'udp' ? `nc -n -v -u -l -W 1 -p ${port}` : `nc -n -v -l -p ${port}`;
  const listener = labExec(to, `echo $$ > ${pidFile}; exec timeout 20 ${listenCmd}`, { allowFailure: true, timeoutMs: 25_000 });
  let done = false;
  void listener.then(() => {
    done = true;
  });
  for (let i = 0; !(await isListening(target.pid, port, proto)); i++) {
    if (done || i > 200) throw new Error(`probe: listener on ${to} ${proto}/${port} did not start: ${(await listener).stderr.trim()}`);
    await sleep(20);
  }

  const token = `swprobe-${id}`;
  if (proto === 'tcp') await execIn(from, `nc -n -z -w ${waitSec} ${sport}${address} ${port}`);
  else await execIn(from, `nc -n -u -q 0 -w 1 ${sport}${address} ${port}`, `${token}\n`);

  const deadline = Date.now() + (proto === 'udp' ? wait : 500);
  while (!done && Date.now() < deadline) await sleep(25);
  if (!done) await labExec(to, `kill $(cat ${pidFile}) 2>/dev/null; rm -f ${pidFile}`, { allowFailure: true });
  const result = await listener;
  await labExec(to, `rm -f ${pidFile}`, { allowFailure: true });
  const seen = /Connection received on (\S+) (\d+)/.exec(result.stderr);
  const reachable = proto === 'udp' ? result.stdout.includes(token) : seen !== null;
  return { reachable, seenFrom: reachable && seen ? { address: seen[1] as string, port: Number(seen[2]) } : null };
}
