import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hostPaths } from '../../shared/host-paths.js';

const scriptPath = fileURLToPath(new URL('./spanwise-agent', import.meta.url));
const unit = readFileSync(fileURLToPath(new URL('../spanwise-agent.service', import.meta.url)), 'utf8');

/** Sources the script in sh with OpenRC's helpers recorded, then runs `body`; prints what was called and set. */
function sourced(body: string): string {
  const stubs = ['need', 'after', 'use', 'checkpath'].map((f) => `${f}() { echo "${f} $*"; }`).join('; ');
  return execFileSync('sh', ['-c', `${stubs}; . "$1"; ${body}`, 'sh', scriptPath]).toString();
}

describe('OpenRC script', () => {
  it('is valid sh, executable, and runs as an openrc-run script', () => {
    execFileSync('sh', ['-n', scriptPath]);
    expect(readFileSync(scriptPath, 'utf8').startsWith('#!/sbin/openrc-run\n')).toBe(true);
    expect(statSync(scriptPath).mode & 0o755).toBe(0o755);
  });

  it('runs the agent the unit runs, under supervise-daemon with respawn, umask 077 and its log file', () => {
    const vars = sourced('echo "$supervisor|$command $command_args|$respawn_delay|$respawn_max|$umask|$output_log|$error_log"').trim();
    const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1];
    expect(vars).toBe(`supervise-daemon|${execStart}|2|0|077|${hostPaths.logDir}/agent.log|${hostPaths.logDir}/agent.log`);
  });

  it('needs the network, makes the state, runtime, log and WireGuard dirs, and cleans the mesh up on stop as ExecStopPost= does', () => {
    expect(sourced('depend').trim().split('\n')).toEqual(['need net', 'after firewall nftables iptables']);
    expect(sourced('start_pre').trim().split('\n')).toEqual([
      `checkpath --directory --mode 0700 ${hostPaths.stateDir} ${hostPaths.runtimeDir} ${hostPaths.logDir}`,
      'checkpath --directory --mode 0755 /run/wireguard',
    ]);
    const stopPost = /^ExecStopPost=(.*)$/m.exec(unit)?.[1];
    expect(readFileSync(scriptPath, 'utf8')).toContain(`stop_post() {\n\t${stopPost}\n}`);
  });
});
