import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HealthCode } from '../../../../agent/resources/health.js';
import { isProblemCode, problemCodeList, problemCodes } from '../../../../agent/shared/health-codes.js';
import { findingCodes } from '../../../contract/diagnosis.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.name.endsWith('.test.ts'))
    .map((f) => join(f.parentPath, f.name));
const matches = (files: string[], re: RegExp) => [...new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(re)].map((m) => m[1] as string)))];

describe('the one registry of problem codes', () => {
  it('holds every code the agent raises, as owner agent', () => {
    for (const code of Object.values(HealthCode)) expect(problemCodes[code]?.owner, code).toBe('agent');
    const literal = matches(sources('agent'), /reportHealth\([^)]*?code: '([A-Z0-9_]+)'/gs);
    expect(literal.filter((c) => !isProblemCode(c))).toEqual([]);
  });

  it("holds every code the desktop's rules raise, and the contract's finding codes are the registry", () => {
    const used = matches(sources('electron/services/diagnosis'), /finding\(\s*'([A-Z0-9_]+)'/g);
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((c) => !isProblemCode(c))).toEqual([]);
    expect([...findingCodes]).toEqual(problemCodeList);
  });

  it('has no desktop code that no rule raises', () => {
    const used = new Set([
      ...matches(sources('electron/services/diagnosis'), /finding\(\s*'([A-Z0-9_]+)'/g),
      ...matches(sources('electron/services/diagnosis'), /code: '([A-Z0-9_]+)'/g),
    ]);
    const idle = problemCodeList.filter((c) => problemCodes[c].owner === 'desktop' && !used.has(c) && c !== 'AGENT_HEALTH_WARNING');
    expect(idle).toEqual([]);
  });

  it('gives every code a severity, an owner and a sentence, and every agent code a fix', () => {
    for (const code of problemCodeList) {
      const e = problemCodes[code];
      expect(code).toMatch(/^[A-Z][A-Z0-9_]{2,63}$/);
      expect(['info', 'warning', 'error']).toContain(e.severity);
      expect(e.text.length).toBeGreaterThan(10);
      if (e.owner === 'agent') expect('fix' in e && typeof e.fix === 'string', code).toBe(true);
    }
  });
});
