import { AGENT_LAUNCH_ENV } from '../../../agent/shared/agent-launch.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';

const agentCli = hostPaths.agent;
const pidFile = (name: string) => `${hostPaths.runtimeDir}/${name}.pid`;

/** The supervised service's log file, rotated by the supervisor (10 MiB x 5). */
export const supervisedLog = (name: string) => `${hostPaths.logDir}/${name}.log`;

/** The cron file that starts a supervised service at boot, where the host runs a cron that reads /etc/cron.d. */
export const cronHook = (name: string, etc = '/etc') => `${etc}/cron.d/spanwise-${name}`;

/** The marker ending the /etc/rc.local line that starts a supervised service at boot. */
const rcLocalMark = (name: string) => `# spanwise-${name}`;

/** The agent daemon's launch environment as `env` arguments; other subcommands run with none. */
const launchEnv = (name: string) =>
  name === 'agent'
    ? `env ${Object.entries(AGENT_LAUNCH_ENV)
        .map(([k, v]) => `${k}="${v}"`)
        .join(' ')} `
    : '';

/** One command line that starts `subcommand` under `spanwise-agent supervise`, detached. */
function startLine(name: string, subcommand: string): string {
  return `mkdir -p ${hostPaths.runtimeDir} ${hostPaths.logDir} && ${launchEnv(name)}setsid -f ${agentCli} supervise --pid-file ${pidFile(name)} --log-file ${supervisedLog(name)} -- ${subcommand} </dev/null >/dev/null 2>&1`;
}

/**
 * Shell that makes the supervised service come back after a reboot and prints where: an @reboot
 * line in /etc/cron.d where cron or crond is installed (Debian's cron, cronie), else a line in
 * /etc/rc.local (made if missing), placed before its `exit 0`. Rewriting it is idempotent.
 */
export function bootHook(name: string, subcommand: string, etc = '/etc'): string {
  const line = startLine(name, subcommand);
  const mark = rcLocalMark(name);
  const cron = cronHook(name, etc);
  const rc = `${etc}/rc.local`;
  return `if [ -d ${etc}/cron.d ] && { command -v cron || command -v crond; } >/dev/null 2>&1; then
  printf 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\\n@reboot root %s\\n' '${line}' > ${cron}.new
  chmod 0644 ${cron}.new; mv -f ${cron}.new ${cron}; boot="@reboot in ${cron}"
else
  [ -f ${rc} ] || printf '#!/bin/sh\\nexit 0\\n' > ${rc}
  awk -v line='${line} ${mark}' 'index($0, " ${mark}") == 0 { if (!done && $0 ~ /^exit 0/) { print line; done = 1 } print } END { if (!done) print line }' ${rc} > ${rc}.new
  cat ${rc}.new > ${rc}; rm -f ${rc}.new; chmod 0755 ${rc}; boot="a line in ${rc}"
fi`;
}

/** Shell that removes what `bootHook` wrote for `name`. */
export function bootHookRemoval(name: string, etc = '/etc'): string {
  const rc = `${etc}/rc.local`;
  return `rm -f ${cronHook(name, etc)}; if [ -f ${rc} ]; then grep -vF ' ${rcLocalMark(name)}' ${rc} > ${rc}.new; cat ${rc}.new > ${rc}; rm -f ${rc}.new; fi`;
}

/**
 * Shell that (re)starts an agent subcommand under `spanwise-agent supervise` on hosts without
 * systemd or OpenRC: stops a running one first when `restart`, then starts it unless it runs, and
 * installs the boot hook. Prints what it did and how the service comes back after a reboot.
 */
export function supervisedStart(name: string, subcommand: string, restart: boolean): string {
  const pid = pidFile(name);
  return `${bootHook(name, subcommand)}
running() { [ -f ${pid} ] && pid=$(cat ${pid}) && kill -0 "$pid" 2>/dev/null && grep -q supervise /proc/$pid/cmdline 2>/dev/null; }
${restart ? `if running; then kill "$pid"; for i in $(seq 100); do running || break; sleep 0.1; done; fi` : ''}
if running; then state="already running"; else ${startLine(name, subcommand)}; state=started; fi
echo "$state, logging to ${supervisedLog(name)}; back after a reboot through $boot"`;
}

/** Shell that stops a supervised subcommand and waits for it (and its cleanup) to finish. */
export function supervisedStop(name: string): string {
  const pid = pidFile(name);
  return `if [ -f ${pid} ] && pid=$(cat ${pid}) && kill -0 "$pid" 2>/dev/null; then kill "$pid"; for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; fi; rm -f ${pid}`;
}
