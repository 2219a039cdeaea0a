/** Host-report lines that print ufw's status, its user rules and its application profiles. */
export const ufwReportLines = [
  'if command -v ufw >/dev/null 2>&1; then',
  "  echo '### ufw'; ufw status verbose 2>&1",
  "  [ -r /etc/ufw/user.rules ] && { echo '### ufw-user-rules'; head -c 262144 /etc/ufw/user.rules; }",
  "  [ -r /etc/ufw/user6.rules ] && { echo '### ufw-user6-rules'; head -c 262144 /etc/ufw/user6.rules; }",
  '  echo \'### ufw-apps\'; for f in /etc/ufw/applications.d/*; do [ -f "$f" ] && { head -c 16384 "$f"; echo; }; done | sed \'s/^###/#/\'',
  'fi',
];

/** Host-report section names and the FirewallOutputs field each fills. */
export const ufwReportSections = [
  ['ufw', 'ufw'],
  ['ufw-user-rules', 'ufwUserRules'],
  ['ufw-user6-rules', 'ufwUser6Rules'],
  ['ufw-apps', 'ufwApps'],
] as const;
