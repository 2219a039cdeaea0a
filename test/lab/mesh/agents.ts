import { labExec } from '../exec.js';
import { sleep } from '../run.js';
import { HOST_CONFIG } from './agent-config.js';
import { HOST_AGENT } from './bundle.js';

/** Files of a supervised agent on a lab host (the host's private /run and /var). */
export const HOST_AGENT_FILES = {
  pid: '/run/spanwise/supervise.pid',
  log: '/var/log/spanwise/agent.log',
  superviseLog: '/var/log/spanwise/supervise.log',
} as const;

/**
 * Starts the agent on a host the way hosts without systemd run it:
 * `spanwise-agent supervise --pid-file ... --log-file ... -- run --config ...`, detached.
 */
export async function startAgent(host: string, config = HOST_CONFIG): Promise<void> {
  const { pid, log, superviseLog } = HOST_AGENT_FILES;
  await labExec(
    host,
    `mkdir -p /run/spanwise /var/log/spanwise && setsid node ${HOST_AGENT} supervise --pid-file ${pid} --log-file ${log} -- run --config ${config} </dev/null >>${superviseLog} 2>&1 &`,
  );
  for (let i = 0; i < 50; i += 1) {
    if ((await labExec(host, ['test', '-s', pid], { allowFailure: true })).code === 0) return;
    await sleep(50);
  }
  throw new Error(`agent on ${host} did not write ${pid}: ${await agentLog(host)}`);
}

/** Stops a supervised agent (SIGTERM: the agent stops, then the mesh is cleaned up) and waits until it is gone. */
export async function stopAgent(host: string, timeoutMs = 20_000): Promise<void> {
  const { pid } = HOST_AGENT_FILES;
  await labExec(host, `[ -s ${pid} ] && kill -TERM "$(cat ${pid})" || true`);
  for (const until = Date.now() + timeoutMs; Date.now() < until;) {
    if ((await labExec(host, ['test', '-e', pid], { allowFailure: true })).code !== 0) return;
    await sleep(100);
  }
  throw new Error(`agent on ${host} did not stop within ${timeoutMs} ms`);
}

/** The pid (in the host's pid namespace) of the `run` process, or undefined when none runs. */
export async function agentRunPid(host: string): Promise<number | undefined> {
  const { stdout } = await labExec(host, ['pgrep', '-f', `${HOST_AGENT} run`], { allowFailure: true });
  const pid = Number(stdout.trim().split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** VmRSS and VmHWM (peak) of the host's agent `run` process, in MB (10^6 bytes, the unit of the target). */
export async function agentMemory(host: string): Promise<{ rssMB: number; peakMB: number }> {
  const pid = await agentRunPid(host);
  if (pid === undefined) throw new Error(`no agent runs on ${host}`);
  const { stdout } = await labExec(host, ['cat', `/proc/${pid}/status`]);
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(stdout)?.[1] ?? Number.NaN);
  return { rssMB: (kib('VmRSS') * 1024) / 1e6, peakMB: (kib('VmHWM') * 1024) / 1e6 };
}

/** The last lines of the agent's and the supervisor's logs (for failure messages). */
export async function agentLog(host: string, lines = 40): Promise<string> {
  const { log, superviseLog } = HOST_AGENT_FILES;
  const { stdout } = await labExec(host, `tail -n ${lines} ${log} ${superviseLog} 2>/dev/null`, { allowFailure: true });
  return stdout;
}
