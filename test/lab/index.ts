/**
 * The Spanwise lab: several Linux "hosts" on one machine, built from network
 * namespaces, each with its own addresses, hostname, private dirs and sshd.
 *
 *   const lab = await upLab('hybrid');          // LabStatus
 *   await labExec('dc1', ['ip', '-br', 'addr']); // as root inside dc1
 *   await downLab();
 *
 * Needs Linux and root (see prerequisites.ts). For vitest files, `useLab` in
 * `use-lab.ts` brings a scenario up for one file and down after it.
 */
export { upLab, type UpOptions } from './builder.js';
export { cleanupLab, downLab } from './cleanup.js';
export { labExec, labSpawn, type HostCommand } from './exec.js';
export { assertPrerequisites, LabPrerequisiteError, missingPrerequisites } from './prerequisites.js';
export { addressFor, probe, type ProbeOptions, type ProbeResult } from './probe.js';
export type { RunOptions, RunResult } from './run.js';
export { DEFAULT_SCENARIO, getScenario, scenarios } from './scenarios/index.js';
export type { FirewallRule, HostSite, NatMode, Proto, Reach, Scenario, SiteKind, SiteSpec } from './scenario.js';
export { findHost, labStatus, renderSshConfig, type LabHost, type LabSsh, type LabStatus, type LabSudoUser } from './status.js';
export { DESKTOP, DESKTOP_ADDRESS, STATE_DIR, SUDO_USER } from './constants.js';
