import { ResponderBuilder, ServerInterceptingCall, ServerListenerBuilder, status, type ServerInterceptor } from '@grpc/grpc-js';
import { hasRole, type CertificateRole } from '../shared/cert-roles.js';

const SERVICE = '/spanwise.agent.v1.AgentService';

/**
 * Which certificate roles may call each RPC over TCP. Agents never call one another (diagnosis
 * has the desktop ask each agent to probe), so every RPC is the desktop's. A method missing here
 * (one added later) is refused until it is given its roles. The local unix socket is not checked:
 * its file mode (root only) is its access control.
 */
export const METHOD_ROLES: Readonly<Record<string, readonly CertificateRole[]>> = {
  [`${SERVICE}/GetHostFacts`]: ['desktop'],
  [`${SERVICE}/ListResources`]: ['desktop'],
  [`${SERVICE}/WatchResources`]: ['desktop'],
  [`${SERVICE}/Probe`]: ['desktop'],
  [`${SERVICE}/OpenResponder`]: ['desktop'],
};

/**
 * Refuses a call with PERMISSION_DENIED unless the client certificate (already verified against
 * the cluster CA by TLS) carries a role the method allows.
 */
export const authorizeByRole: ServerInterceptor = (method, call) => {
  const allowed = METHOD_ROLES[method.path] ?? [];
  const listener = new ServerListenerBuilder()
    .withOnReceiveMetadata((metadata, next) => {
      const peer = call.getAuthContext().sslPeerCertificate;
      if (peer && allowed.some((role) => hasRole(peer, role))) next(metadata);
      else
        call.sendStatus({
          code: status.PERMISSION_DENIED,
          details: `${method.path.slice(SERVICE.length + 1)} is for the ${allowed.join(' or ') || 'nobody'} certificate only`,
        });
    })
    .build();
  return new ServerInterceptingCall(call, new ResponderBuilder().withStart((next) => next(listener)).build());
};
