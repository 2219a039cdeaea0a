// Generates TypeScript from proto/ into proto/gen (or, with --check, verifies
// that the committed proto/gen matches what the .proto files generate).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const protoDir = join(root, 'proto');
const genDir = join(protoDir, 'gen');
const check = process.argv.includes('--check');

function generate(outDir) {
  const buf = join(root, 'node_modules/.bin/buf');
  execFileSync(buf, ['generate', '--template', 'buf.gen.yaml', '-o', outDir], { cwd: protoDir, stdio: 'inherit' });
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
    .map((f) => relative(dir, f))
    .sort();
}

const work = mkdtempSync(join(tmpdir(), 'spanwise-proto-'));
try {
  generate(work);
  const fresh = join(work, 'gen');
  if (!check) {
    rmSync(genDir, { recursive: true, force: true });
    cpSync(fresh, genDir, { recursive: true });
    console.log(`generated ${listFiles(genDir).length} files in proto/gen`);
  } else {
    const want = listFiles(fresh);
    const have = listFiles(genDir);
    const stale = want.filter((f) => !have.includes(f) || readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(genDir, f), 'utf8'));
    const extra = have.filter((f) => !want.includes(f));
    if (stale.length || extra.length) {
      console.error(`proto/gen is out of date (${[...stale, ...extra].join(', ')}): run npm run proto:gen`);
      process.exit(1);
    }
    console.log(`proto/gen matches the .proto files (${want.length} files)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
