import type { Finding } from '../../../contract/diagnosis.js';
import { finding, type DiagnosisContext } from '../context.js';

/** How far before "now" the desktop dates the certificates it signs (agent/shared/pki.ts): more skew than this breaks TLS to fresh certificates. */
export const CERT_SLACK_MS = 60_000;
/** Skew worth a warning even where handshakes still work. */
export const SKEW_WARN_MS = 30_000;

/**
 * CLOCK_SKEW, measured by the desktop: the host clock differs from the
 * desktop's by more than 30 s (warning), or by more than the 60 s that
 * certificates are back-dated, so TLS handshakes fail (error).
 */
export function clockRule(ctx: DiagnosisContext): Finding[] {
  return ctx.names.flatMap((name) => {
    const offset = ctx.node(name).host?.clockOffsetMs ?? null;
    if (offset === null || Math.abs(offset) <= SKEW_WARN_MS) return [];
    const seconds = Math.round(Math.abs(offset) / 1000);
    const breaks = Math.abs(offset) > CERT_SLACK_MS;
    const evidence = [`${name}'s clock is ${seconds} s ${offset > 0 ? 'ahead of' : 'behind'} the desktop's`];
    if (breaks)
      evidence.push(
        offset < 0
          ? `certificates are dated ${CERT_SLACK_MS / 1000} s before they are signed; to ${name} a certificate signed in the last ${seconds - CERT_SLACK_MS / 1000} s is not yet valid, so TLS handshakes with new agents fail`
          : `other hosts see ${name}'s fresh certificates and timestamps in the future; when its clock is stepped back, WireGuard drops its handshakes (their timestamps must grow) until it passes the old time`,
      );
    return [
      finding('CLOCK_SKEW', breaks ? 'error' : 'warning', [name], {
        evidence,
        remediation: {
          summary: `Synchronize ${name}'s clock: enable NTP (timedatectl set-ntp true, or chrony), then check with timedatectl status.`,
          hostFixes: [],
          changeRequest: null,
        },
      }),
    ];
  });
}
