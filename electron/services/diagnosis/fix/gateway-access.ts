import { SpanwiseError } from '../../../../agent/shared/errors.js';
import type { FixRevertResult, HostFix } from '../../../contract/diagnosis.js';
import { openMachineSession } from '../../ssh/machine-session.js';
import { runAsRoot } from '../../ssh/privileged.js';
import type { MachineRow } from '../../store/machines.js';
import type { AccessDeps } from '../node-access.js';
import { gatewayPlan, parseGatewayState, readGatewayScript } from './gateway-plan.js';
import { revertGatewayFix } from './gateway-revert.js';
import type { HostShell } from './revert-guard.js';

/**
 * A new SSH session to one of a machine's jump hosts (through the ones before
 * it), signed in with the jump hosts' credentials; scripts run as root directly
 * or through sudo without a password (none is stored for jump hosts).
 */
export async function jumpShell(machine: MachineRow, index: number, deps: AccessDeps): Promise<HostShell & { close(): void }> {
  const target = machine.jump[index];
  if (!target)
    throw new SpanwiseError(
      'JUMP_HOST_NOT_FOUND',
      `${machine.name} has no jump host ${index + 1}`,
      "run 'spanwise diagnose' again and apply the fix it offers",
    );
  const credentials = deps.credentials(machine);
  const session = await openMachineSession({ ssh: target, jump: machine.jump.slice(0, index) }, credentials.jump ?? credentials, deps.hostKeys, {
    readyTimeoutMs: 10_000,
  });
  return { exec: (script) => runAsRoot(session, script, null), close: () => session.close() };
}

/**
 * The gateway fix as the runner runs it: reads the gateway (the link of its
 * public address, nft or iptables, the ruleset) over a jump host session and
 * plans the commands from that. A fix the gateway's rules do not allow to plan
 * is refused with the reason.
 */
export async function plannedGatewayFix(fix: HostFix, shell: HostShell): Promise<HostFix> {
  const { target, forward } = fix;
  if (!target || !forward) throw new SpanwiseError('FIX_INVALID', `the fix for ${fix.node} names no gateway`, "run 'spanwise diagnose' again");
  const read = await shell.exec(readGatewayScript(forward.publicAddress));
  if (read.code !== 0)
    throw new SpanwiseError(
      'GATEWAY_READ_FAILED',
      `reading the ${target.label} failed: ${read.stderr.trim()}`,
      'check that nft or iptables runs there as root',
    );
  const state = parseGatewayState(read.stdout);
  const plan = gatewayPlan(forward, state);
  if ('refusal' in plan) throw new SpanwiseError('GATEWAY_FIX_REFUSED', `no fix on the ${target.label}: ${plan.refusal}`, 'send the change request instead');
  return { ...fix, firewall: state.nftRuleset === null ? 'iptables' : 'nftables', apply: plan.apply, revert: plan.revert };
}

/** Where a fix runs and what it runs: for a gateway fix, the jump host and the commands planned from its ruleset; else the node and the fix as it is. */
export async function fixRoute(
  machine: MachineRow,
  fix: HostFix,
  deps: AccessDeps,
  nodeShell: () => Promise<HostShell & { close(): void }>,
): Promise<{ fix: HostFix; openShell: () => Promise<HostShell & { close(): void }> }> {
  const target = fix.target;
  if (!target) return { fix, openShell: nodeShell };
  const openShell = () => jumpShell(machine, target.jump, deps);
  const shell = await openShell();
  try {
    return { fix: await plannedGatewayFix(fix, shell), openShell };
  } finally {
    shell.close();
  }
}

/** Reverts a gateway fix on the node's jump hosts, innermost first, on the one that holds it. */
export async function revertOnJumpHosts(machine: MachineRow, fixId: string, deps: AccessDeps): Promise<FixRevertResult> {
  for (let i = machine.jump.length - 1; i >= 0; i -= 1) {
    const shell = await jumpShell(machine, i, deps);
    try {
      const result = await revertGatewayFix(machine.name, fixId, shell);
      if (result) return result;
    } finally {
      shell.close();
    }
  }
  throw new SpanwiseError(
    'FIX_NOT_FOUND',
    `no gateway fix '${fixId}' is live on the jump hosts of ${machine.name}`,
    'it was reverted already, or was never applied',
  );
}
