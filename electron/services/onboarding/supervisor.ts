import { hostPaths } from './host-paths.js';

/**
 * Keeps one Spanwise process running on hosts without systemd: restarts it 2 s
 * after it exits; on TERM stops it (and, for the agent, cleans the link,
 * routes and rules, as the systemd unit's ExecStopPost does).
 * Usage: supervise.sh NAME COMMAND...
 */
export const supervisorScript = `#!/bin/sh
name=$1; shift
pidfile=${hostPaths.runtimeDir}/$name.supervisor.pid
log=${hostPaths.stateDir}/$name.log
mkdir -p ${hostPaths.runtimeDir} ${hostPaths.stateDir}
echo $$ > "$pidfile"
child=
stop() {
  [ -n "$child" ] && kill "$child" 2>/dev/null && wait "$child"
  [ "$name" = agent ] && /usr/local/bin/spanwise-agent cleanup --config ${hostPaths.config} >>"$log" 2>&1
  rm -f "$pidfile"
  exit 0
}
trap stop TERM INT
while :; do
  [ -f "$log" ] && [ "$(wc -c < "$log")" -gt 10485760 ] && mv -f "$log" "$log.1"
  "$@" >>"$log" 2>&1 &
  child=$!
  wait "$child"
  child=
  sleep 2
done
`;

/** Path of the supervisor script on the host. */
export const supervisorPath = `${hostPaths.installDir}/supervise.sh`;

/** Shell that (re)starts a supervised process: stops a running one when `restart`, then starts it if not running. */
export function supervisedStart(name: string, command: string, restart: boolean): string {
  const pidfile = `${hostPaths.runtimeDir}/${name}.supervisor.pid`;
  return `running() { [ -f ${pidfile} ] && pid=$(cat ${pidfile}) && kill -0 "$pid" 2>/dev/null && grep -q supervise /proc/$pid/cmdline 2>/dev/null; }
${restart ? `if running; then kill "$pid"; for i in $(seq 50); do running || break; sleep 0.1; done; fi` : ''}
if running; then echo "already running"; else setsid -f ${supervisorPath} ${name} ${command} </dev/null >/dev/null 2>&1; echo started; fi`;
}

/** Shell that stops a supervised process and waits for it to exit. */
export function supervisedStop(name: string): string {
  const pidfile = `${hostPaths.runtimeDir}/${name}.supervisor.pid`;
  return `if [ -f ${pidfile} ] && pid=$(cat ${pidfile}) && kill -0 "$pid" 2>/dev/null; then kill "$pid"; for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; fi; rm -f ${pidfile}`;
}
