/**
 * Shell that removes the agent's package where the host has it (dpkg knows spanwise-agent in any
 * state but not-installed, or rpm -q finds it): `dpkg -P` or `rpm -e`. `$recorded` is how onboarding
 * installed the agent (`package`, `files` or empty): with `package`, a failed removal fails the
 * script, and a package neither tool knows is a warning. Runs after the services are stopped.
 */
export const packageRemoval = String.raw`pkg_fail() { if [ "$recorded" = package ]; then echo "$1" >&2; exit 1; else echo "warning: $1" >&2; fi; }
deb_state=$(command -v dpkg-query >/dev/null 2>&1 && dpkg-query -W -f '${'${db:Status-Status}'}' spanwise-agent 2>/dev/null)
if [ -n "$deb_state" ] && [ "$deb_state" != not-installed ]; then dpkg -P spanwise-agent >/dev/null || pkg_fail "dpkg -P spanwise-agent failed"
elif command -v rpm >/dev/null 2>&1 && rpm -q spanwise-agent >/dev/null 2>&1; then rpm -e spanwise-agent || pkg_fail "rpm -e spanwise-agent failed"
elif [ "$recorded" = package ]; then echo "warning: the agent was installed as a package, and neither dpkg nor rpm knows spanwise-agent now" >&2; fi`;

/** The line that tells `packageRemoval` how the agent was installed. */
export const recordedMethod = (method: 'package' | 'files' | null | undefined) => `recorded=${method ?? ''}\n`;
