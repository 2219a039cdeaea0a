// Linux's Chromium sandbox abort, as Electron reports it on stderr, and its fix.
// Ubuntu 23.10+ restricts unprivileged user namespaces through AppArmor, so
// Electron falls back to the setuid chrome-sandbox helper, which a checkout's
// node_modules never has set up; Electron then aborts rather than run unsandboxed.
import { dirname, join } from 'node:path';

const signs = [/The SUID sandbox helper binary was found, but is not configured correctly/, /No usable sandbox!/, /Failed to move to new namespace/];

/** Whether Electron's stderr shows that it stopped for want of a usable sandbox. */
export function sandboxFailed(stderr) {
  return signs.some((sign) => sign.test(stderr));
}

/** What to run to let Electron use its sandbox (never --no-sandbox). */
export function sandboxFix(binary) {
  const helper = join(dirname(binary), 'chrome-sandbox');
  return [
    '',
    "Electron stopped: Linux's sandbox is not usable for it here. On Ubuntu 23.10 and later, AppArmor",
    'restricts unprivileged user namespaces. Any one of these fixes it:',
    '  1. Allow them (until reboot; persist it in /etc/sysctl.d/ to keep it):',
    '       sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
    '  2. Or allow them for this Electron only, with an AppArmor profile:',
    `       printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile spanwise-electron "${binary}" flags=(unconfined) {\\n  userns,\\n}\\n' | sudo tee /etc/apparmor.d/spanwise-electron`,
    '       sudo apparmor_parser -r /etc/apparmor.d/spanwise-electron',
    "  3. Or make Electron's setuid sandbox helper usable:",
    `       sudo chown root "${helper}" && sudo chmod 4755 "${helper}"`,
    'The .deb and .rpm packages install such a profile themselves; a checkout and the AppImage do not.',
    '',
  ].join('\n');
}
