// provider.mjs: a real OpenID Connect server (panva's oidc-provider) for
// Reconnect's standards tests.  It listens on 127.0.0.1, on a free port, and
// prints its issuer on stdout once it is ready.
//
// Copyright 2026 The Reconnect developers
// SPDX-License-Identifier: GPL-3.0-or-later

import Provider from 'oidc-provider';

// stdout carries the one readiness line; the server's own notices go to
// stderr, so a reader that stops listening cannot break it.
console.log = console.info = console.warn = (...args) => console.error(...args);

const ttl = (name, fallback) => Number(process.env[name] || fallback);

const configuration = {
  clients: [{
    client_id: 'reconnect-test',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1/reconnect/oidc'],
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
  }],
  pkce: { methods: ['S256'], required: () => true },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
    introspection: { enabled: true },
  },
  // A native client asks for offline access; give it a refresh token always,
  // and rotate it on every use, as RFC 9700 asks of public clients.
  issueRefreshToken: async () => true,
  rotateRefreshToken: () => true,
  ttl: {
    AccessToken: ttl('AT_TTL', 3600),
    RefreshToken: ttl('RT_TTL', 86400),
    DeviceCode: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 86400,
  },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, name: id, email: `${id}@reconnect.example` }),
  }),
};

const server = new Provider('http://127.0.0.1', configuration);
const listener = server.listen(0, '127.0.0.1', () => {
  const { port } = listener.address();
  // The issuer must name the port; the provider is told after it is known.
  server.issuer = `http://127.0.0.1:${port}`;
  process.stdout.write(`${server.issuer}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => listener.close(() => process.exit(0)));
