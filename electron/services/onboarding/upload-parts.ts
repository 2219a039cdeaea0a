import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { shellQuote } from '../ssh/shell.js';
import type { StepContext } from './context.js';
import { asRoot } from './steps-host.js';

/** Bytes per SFTP write of an upload; one progress line after each. */
const CHUNK_BYTES = 4 * 2 ** 20;

/** A file on the desktop to upload, with the hash and size it must have. */
export interface UploadFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** Where uploaded parts go: under /opt/spanwise for root, else the login user's home (its path as the root shell sees it). */
function uploadPrefix(ctx: StepContext, what: string): { sftp: string; shell: string } {
  const name = `.spanwise-${what}.${randomBytes(4).toString('hex')}`;
  if (ctx.machine.ssh.user === 'root') return { sftp: `${hostPaths.installDir}/${name}`, shell: `${hostPaths.installDir}/${name}` };
  return { sftp: name, shell: `$(getent passwd ${shellQuote(ctx.machine.ssh.user)} | cut -d: -f6)/${name}` };
}

/** Uploads a file in chunks (`<prefix>.000.part`, ...), logging `<what> upload SENT/TOTAL bytes` after each one. */
async function uploadInParts(ctx: StepContext, file: UploadFile, prefix: string, what: string): Promise<void> {
  const handle = await open(file.path, 'r');
  try {
    let sent = 0;
    for (let index = 0; sent < file.bytes; index += 1) {
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, file.bytes - sent));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, sent);
      if (bytesRead !== chunk.length)
        throw new SpanwiseError('UPLOAD_SOURCE_SHORT', `${file.path} is shorter than its record says`, 'build or prepare it again');
      await ctx.session.writeFile(`${prefix}.${String(index).padStart(3, '0')}.part`, chunk, 0o600);
      sent += chunk.length;
      ctx.log(`${what} upload ${sent}/${file.bytes} bytes`);
      ctx.flush?.();
      if (ctx.signal.aborted) throw Object.assign(new Error('cancelled'), { cancelled: true });
    }
  } finally {
    await handle.close();
  }
}

/**
 * Uploads `file` with byte progress and puts it at `dest` on the host (as root) once its sha256
 * is the expected one; a mismatch removes it and fails. `what` names it in progress and errors.
 */
export async function uploadChecked(ctx: StepContext, file: UploadFile, what: string, dest: string): Promise<void> {
  const prefix = uploadPrefix(ctx, what);
  if (ctx.machine.ssh.user === 'root') await asRoot(ctx, 'prepare install dir', `mkdir -p ${hostPaths.installDir}`);
  try {
    await uploadInParts(ctx, file, prefix.sftp, what);
  } catch (error) {
    await asRoot(ctx, `${what} cleanup`, `rm -f "${prefix.shell}".*.part`).catch(() => undefined);
    throw error;
  }
  await asRoot(
    ctx,
    `${what} check`,
    `set -e; z=${shellQuote(dest)}; mkdir -p "$(dirname "$z")"; cat "${prefix.shell}".*.part > "$z.new"; rm -f "${prefix.shell}".*.part
     got=$(sha256sum "$z.new" | cut -d' ' -f1); [ "$got" = "${file.sha256}" ] || { rm -f "$z.new"; echo "${what} hash mismatch: $got" >&2; exit 1; }
     mv -f "$z.new" "$z"`,
  );
}
