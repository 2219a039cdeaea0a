/**
 * Host-report lines that print firewalld's state, every zone and policy, the
 * active zones, the default zone, the services the zones name, the links of
 * the default routes (the interfaces that carry the mesh's traffic) and their addresses.
 */
export const firewalldReportLines = [
  "echo '### firewall-links'; { ip -4 route show default; ip -6 route show default; } 2>/dev/null | head -n 8",
  "echo '### firewall-addrs'; ip -o addr show scope global 2>/dev/null | head -n 64",
  'if command -v firewall-cmd >/dev/null 2>&1; then',
  "  echo '### firewalld-state'; firewall-cmd --state 2>&1",
  "  echo '### firewalld-zones'; firewall-cmd --list-all-zones 2>&1",
  "  echo '### firewalld-active-zones'; firewall-cmd --get-active-zones 2>&1",
  "  echo '### firewalld-default-zone'; firewall-cmd --get-default-zone 2>&1",
  "  echo '### firewalld-policies'; firewall-cmd --list-all-policies 2>/dev/null",
  "  echo '### firewalld-services'",
  "  for s in $(firewall-cmd --list-all-zones 2>/dev/null | sed -n 's/^ *services: //p' | tr ' ' '\\n' | grep -E '^[A-Za-z0-9_.-]+$' | sort -u | head -n 64); do",
  '    firewall-cmd --info-service="$s" 2>/dev/null',
  '  done',
  'fi',
];

/** Host-report section names and the FirewallOutputs field each fills. */
export const firewalldReportSections = [
  ['firewall-links', 'links'],
  ['firewall-addrs', 'addresses'],
  ['firewalld-state', 'firewalldState'],
  ['firewalld-zones', 'firewalldZones'],
  ['firewalld-active-zones', 'firewalldActiveZones'],
  ['firewalld-default-zone', 'firewalldDefaultZone'],
  ['firewalld-policies', 'firewalldPolicies'],
  ['firewalld-services', 'firewalldServices'],
] as const;
