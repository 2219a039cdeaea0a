import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'spanwise-completion-'));
const has = (shell: string) => spawnSync('which', [shell]).status === 0;

/** The completion script the real CLI prints for a shell, saved to a file. */
function script(bin: string, shell: string): { path: string; text: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin', `${bin}.mjs`), 'completion', shell], { encoding: 'utf8', timeout: 30_000 });
  expect(result.status).toBe(0);
  const path = join(dir, `${bin}.${shell}`);
  writeFileSync(path, result.stdout);
  return { path, text: result.stdout };
}

/** What bash offers for the words typed so far (the last one is the word being completed). */
function bashComplete(path: string, fn: string, words: string[]): string[] {
  const run = spawnSync(
    'bash',
    ['-c', 'source "$1"; COMP_WORDS=("${@:3}"); COMP_CWORD=$(($# - 3)); "$2"; printf "%s\\n" "${COMPREPLY[@]}"', 'bash', path, fn, ...words],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter(Boolean);
}

describe('shell completion of spanwise', () => {
  const bash = script('spanwise', 'bash');
  const complete = (...words: string[]) => bashComplete(bash.path, '_spanwise_complete', ['spanwise', ...words]);

  it('completes commands, groups, flags and flag values in bash', () => {
    expect(complete('')).toEqual(expect.arrayContaining(['cluster', 'node', 'status', 'diagnose', 'completion', 'help']));
    expect(complete('node', '')).toEqual(['add', 'remove', 'logs', 'list', 'ssh-hosts', 'edit', 'test', 'cleanup', 'onboard', 'upgrade']);
    expect(complete('--data-dir', '/tmp/x', 'node', 'on')).toEqual(['onboard']);
    expect(complete('node', 'onboard', 'edge1', '--con')).toEqual(['--concurrency']);
    expect(complete('node', 'list', '-o', '')).toEqual(['table', 'wide', 'json', 'yaml']);
    expect(complete('node', 'add', 'edge1', '--site', '')).toEqual(['edge', 'datacenter', 'cloud']);
    expect(complete('node', 'add', 'edge1', '--identity', '')).toEqual([]);
    expect(complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(complete('cluster', 'create', 'prod', '--discovery-e')).toEqual(['--discovery-embedded']);
  });

  it('writes a zsh script from the same spec', () => {
    const zsh = script('spanwise', 'zsh');
    if (has('zsh')) expect(spawnSync('zsh', ['-n', zsh.path]).status).toBe(0);
    expect(zsh.text.startsWith('#compdef spanwise\n')).toBe(true);
    expect(zsh.text).toContain('compdef _spanwise_complete spanwise\n');
    expect(zsh.text).toMatch(/\("node add"\|"node add "\*\) cands=\(--data-dir --output -o --json --ssh /);
    expect(zsh.text).toContain('(-o|--output) cands=(table wide json yaml); compadd -a cands; return ;;');
    expect(zsh.text).toContain('("node") cands=(add remove logs list ssh-hosts edit test cleanup onboard upgrade) ;;');
  });

  it('writes a fish script from the same spec', () => {
    const fish = script('spanwise', 'fish');
    if (has('fish')) {
      const run = spawnSync('fish', ['-c', `source ${fish.path}; complete -C 'spanwise node '`], { encoding: 'utf8' });
      expect(run.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining(['add', 'onboard']));
    }
    expect(fish.text).toContain("complete -c spanwise -n '__spanwise_at \\'node\\'' -a 'add remove logs list ssh-hosts edit test cleanup onboard upgrade'\n");
    expect(fish.text).toContain(
      "complete -c spanwise -n '__spanwise_in \\'node add\\'' -l site -x -a 'edge datacenter cloud' -d 'where the machine sits: edge, datacenter or cloud'\n",
    );
    expect(fish.text).toContain("complete -c spanwise -n '__spanwise_in \\'node add\\'' -l identity -r -F -d 'the private key file to log in with'\n");
  });
});

describe('shell completion of spanwise-agent', () => {
  it('comes from the same router', () => {
    const bash = script('spanwise-agent', 'bash');
    const words = bashComplete(bash.path, '_spanwise_agent_complete', ['spanwise-agent', '']);
    expect(words).toEqual(expect.arrayContaining(['run', 'get', 'discovery', 'completion']));
    expect(bashComplete(bash.path, '_spanwise_agent_complete', ['spanwise-agent', 'discovery', ''])).toEqual(expect.arrayContaining(['serve', 'list']));
  });

  it('refuses an unknown shell with exit code 2 naming the choices', () => {
    const result = spawnSync(process.execPath, [join(root, 'bin', 'spanwise-agent.mjs'), 'completion', 'tcsh'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("SHELL: give one of bash, zsh, fish, got 'tcsh'");
  });
});
