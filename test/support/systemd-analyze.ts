import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What `systemd-analyze security --offline=yes` says of a unit file. */
export interface UnitExposure {
  /** The overall exposure level: 0.0 (best) to 10.0 (UNSAFE). */
  score: number;
  /** The table of settings and their exposure, as printed. */
  table: string;
}

function analyze(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const run = spawnSync('systemd-analyze', args, { encoding: 'utf8', env: { ...process.env, SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '' } });
  if (run.error) throw new Error(`systemd-analyze cannot run (${run.error.message}); on Debian it comes with the systemd package`);
  return run;
}

/** Scores a unit file offline, as the service manager would sandbox it. */
export function unitExposure(unitFile: string): UnitExposure {
  const run = analyze(['security', '--offline=yes', '--no-pager', unitFile]);
  const match = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(run.stdout);
  if (!match) throw new Error(`systemd-analyze security printed no exposure level: ${run.stdout}${run.stderr}`);
  return { score: Number(match[1]), table: run.stdout };
}

/**
 * What `systemd-analyze verify` finds wrong with a unit file: unknown or unparsable settings,
 * missing dependencies, commands that cannot run. The one finding this machine cannot avoid,
 * "Command X is not executable" for an installed-on-the-host command `X` in `absentCommands`
 * that is indeed absent here, is left out; every other line is a problem.
 */
export function unitProblems(unitFile: string, absentCommands: readonly string[] = []): string[] {
  const run = analyze(['verify', '--man=no', unitFile]);
  const expected = (line: string) =>
    absentCommands.some((command) => !existsSync(command) && line.endsWith(`: Command ${command} is not executable: No such file or directory`));
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.trim() !== '');
  if (run.status !== 0 && lines.length === 0) return [`systemd-analyze verify exited ${run.status} without saying why`];
  return lines.filter((line) => !expected(line));
}
