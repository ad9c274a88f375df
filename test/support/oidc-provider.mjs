// A real OpenID provider (oidc-provider 9, ESM) for the sign-in tests, run as a child process
// (jest's loader cannot load ESM on Node 20). It serves HTTPS with the test CA's certificate on
// 127.0.0.1 at a random port, and sends its issuer to the parent over IPC. A message
// `{ jwks }` rotates its signing keys: a new provider instance with the same issuer answers from
// then on (the keys it drops are gone from its JWKS); `{ account: { id, claims } }` changes an account. Settings come in OIDC_TEST_PROVIDER (JSON).
import { createServer } from 'node:https';
import Provider from 'oidc-provider';

const { key, cert, jwks, clients, accounts, extraClaims } = JSON.parse(process.env.OIDC_TEST_PROVIDER);
let issuer;
let current;

function make(keys) {
  const provider = new Provider(issuer, {
    clients,
    jwks: keys,
    findAccount: (_ctx, id) => (accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined),
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'groups'], reference: ['council_reference'] },
    scopes: ['openid', 'offline_access', 'api', 'reference'],
    // The ID token carries the scopes' claims (the API reads the role claim from it).
    conformIdTokenClaims: false,
    cookies: { keys: ['test-cookie-key-0123456789'] },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf?.[0],
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'api',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // Other council systems' tokens carry the claim the API maps to a role.
    extraTokenClaims: (_ctx, token) => extraClaims[token.clientId],
  });
  return provider;
}

const server = createServer({ key, cert }, (req, res) => current.callback()(req, res));
server.listen(0, '127.0.0.1', () => {
  issuer = `https://127.0.0.1:${server.address().port}`;
  current = make(jwks);
  process.send({ issuer });
});
process.on('message', (message) => {
  if (message.account) {
    accounts[message.account.id] = message.account.claims;
    process.send({ updated: message.account.id });
  }
  if (message.jwks) {
    current = make(message.jwks);
    process.send({ rotated: true });
  }
});
process.on('disconnect', () => process.exit(0));
