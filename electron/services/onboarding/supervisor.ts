import { hostPaths } from '../../../agent/shared/host-paths.js';

const agentCli = hostPaths.agent;
const pidFile = (name: string) => `${hostPaths.runtimeDir}/${name}.pid`;

/**
 * Shell that (re)starts an agent subcommand under `spanwise-agent supervise` on hosts without
 * systemd: stops a running one first when `restart`, then starts it unless it runs.
 */
export function supervisedStart(name: string, subcommand: string, restart: boolean): string {
  const pid = pidFile(name);
  return `mkdir -p ${hostPaths.runtimeDir} ${hostPaths.stateDir}
running() { [ -f ${pid} ] && pid=$(cat ${pid}) && kill -0 "$pid" 2>/dev/null && grep -q supervise /proc/$pid/cmdline 2>/dev/null; }
${restart ? `if running; then kill "$pid"; for i in $(seq 100); do running || break; sleep 0.1; done; fi` : ''}
if running; then echo "already running"; else setsid -f ${agentCli} supervise --pid-file ${pid} --log-file ${hostPaths.stateDir}/${name}.log -- ${subcommand} </dev/null >/dev/null 2>&1; echo started; fi`;
}

/** Shell that stops a supervised subcommand and waits for it (and its cleanup) to finish. */
export function supervisedStop(name: string): string {
  const pid = pidFile(name);
  return `if [ -f ${pid} ] && pid=$(cat ${pid}) && kill -0 "$pid" 2>/dev/null; then kill "$pid"; for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; fi; rm -f ${pid}`;
}
