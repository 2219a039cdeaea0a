import { setTimeout as sleep } from 'node:timers/promises';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { listResources } from '../../../agent/api/client.js';
import { ResourceType } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { connectAgent } from '../agents/agent-connection.js';
import { confirmRegistered } from '../discovery/registration.js';
import type { StepContext } from './context.js';
import { discoveryCertificate } from './discovery-certificate.js';
import { discoveryUnit } from './discovery-unit.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { asRoot } from './steps-host.js';
import { supervisedLog, supervisedStart } from './supervisor.js';
import { packagedUnitStart } from './steps-package.js';

async function systemdInstall(ctx: StepContext, unitPath: string, unit: string, name: string, restart: boolean): Promise<void> {
  await asRoot(
    ctx,
    `${name} service`,
    `set -e; cat > ${unitPath}.new; if cmp -s ${unitPath}.new ${unitPath}; then rm -f ${unitPath}.new; else mv -f ${unitPath}.new ${unitPath}; fi
     systemctl daemon-reload; systemctl enable ${name} >/dev/null 2>&1; systemctl ${restart ? 'restart' : 'start'} ${name}`,
    unit,
  );
}

/**
 * On the node chosen for discovery: runs `spanwise-agent discovery serve` as a service, with TLS
 * (a certificate of the cluster CA) unless the cluster chose plain h2c.
 */
export async function discoveryStep(ctx: StepContext): Promise<'done' | 'skipped'> {
  if (!ctx.hostsDiscovery) return 'skipped';
  const tls = ctx.cluster.discoveryTls === true;
  const renewed = tls && (await discoveryCertificate(ctx));
  const restart = ctx.restartAgent || renewed;
  const tlsFlags = tls ? ` --tls-cert ${hostPaths.discoveryCert} --tls-key ${hostPaths.discoveryKey}` : '';
  const command = `discovery serve --listen 0.0.0.0:${ctx.discoveryPort} --state-file ${hostPaths.discoveryState}${tlsFlags}`;
  if (ctx.facts?.init === 'systemd') await systemdInstall(ctx, hostPaths.discoveryUnit, discoveryUnit(ctx.discoveryPort, tls), 'spanwise-discovery', restart);
  else ctx.log((await asRoot(ctx, 'discovery start', supervisedStart('discovery', command, restart))).trim());
  ctx.log(`discovery service on TCP ${ctx.discoveryPort} (${tls ? 'TLS, certificate of the cluster CA' : 'plain h2c, as the cluster chose'})`);
  return 'done';
}

/**
 * Shell that installs and (re)starts the agent where there is no systemd: the shipped OpenRC script
 * (on stdin) where OpenRC runs, else `spanwise-agent supervise` with a boot hook. Prints which.
 */
export function initScriptOrSupervised(restart: boolean): string {
  const script = hostPaths.openrcScript;
  const start = restart ? 'rc-service spanwise-agent restart' : 'rc-service spanwise-agent status >/dev/null 2>&1 || rc-service spanwise-agent start';
  return `if [ -d /run/openrc ] && command -v openrc-run >/dev/null 2>&1; then
  cat > ${script}.new && chmod 0755 ${script}.new && mv -f ${script}.new ${script} && rc-update add spanwise-agent default >/dev/null && ${start} >/dev/null || exit 1
  echo "OpenRC service spanwise-agent (${script}), supervise-daemon, logging to ${supervisedLog('agent')}"
else
  cat >/dev/null
  ${supervisedStart('agent', `run --config ${hostPaths.config}`, restart)}
fi`;
}

/** Installs and (re)starts the agent: the shipped systemd unit or OpenRC script, or the supervisor where there is neither. */
export async function serviceStep(ctx: StepContext): Promise<'done'> {
  if (ctx.facts?.init === 'systemd' && ctx.install?.plan?.method === 'package') {
    await asRoot(ctx, 'spanwise-agent service', packagedUnitStart(ctx.restartAgent));
    ctx.log(`${ctx.restartAgent ? 'restarted' : 'started'} spanwise-agent.service from the package's unit; logs: journalctl -u spanwise-agent`);
  } else if (ctx.facts?.init === 'systemd') {
    await systemdInstall(ctx, hostPaths.agentUnit, ctx.bundle.unit, 'spanwise-agent', ctx.restartAgent);
    ctx.log(`${ctx.restartAgent ? 'restarted' : 'started'} spanwise-agent.service (ready: its API serves); logs: journalctl -u spanwise-agent`);
  } else {
    const state = await asRoot(ctx, 'agent start', initScriptOrSupervised(ctx.restartAgent), ctx.bundle.openrc);
    ctx.log(`agent: ${state.trim()}`);
  }
  return 'done';
}

/** Waits until the agent answers and, with embedded discovery, until it has registered with this app's discovery. */
export async function verifyStep(ctx: StepContext): Promise<'done'> {
  await agentAnswers(ctx);
  if (ctx.cluster.embeddedDiscovery) await confirmRegistered(ctx, ctx.cluster.embeddedDiscovery);
  return 'done';
}

/** Waits until the agent answers on TCP 50000 (or through an SSH tunnel) and reports its peers. */
export async function agentAnswers(ctx: StepContext): Promise<'done'> {
  const deadline = Date.now() + 45_000;
  let lastError: unknown;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    try {
      const connection = await connectAgent({ name: ctx.machine.name, host: ctx.machine.ssh.host }, ctx.cluster.ca, ctx.session, 3000);
      try {
        const peers = await listResources(connection.client, [ResourceType.RESOURCE_TYPE_PEER_STATUS]);
        ctx.log(
          `agent ${connection.facts.agentVersion} answers ${connection.via === 'direct' ? 'on TCP 50000' : 'through an SSH tunnel (TCP 50000 is not reachable from here)'}; ${peers.resources.length} peer(s) known`,
        );
      } finally {
        await connection.close();
      }
      return 'done';
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
  const tail = await asRoot(
    ctx,
    'agent log',
    `tail -n 5 ${supervisedLog('agent')} 2>/dev/null || journalctl -u spanwise-agent -n 5 --no-pager 2>/dev/null; true`,
  ).catch(() => '');
  throw new SpanwiseError(
    'AGENT_NOT_ANSWERING',
    `the agent did not answer within 45 s: ${(lastError as Error | undefined)?.message ?? 'cancelled'}${tail.trim() ? ` | last log lines: ${tail.trim().split('\n').join(' / ')}` : ''}`,
    'check the agent log on the host, fix the cause, then re-run',
  );
}
