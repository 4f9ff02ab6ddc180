// node-oidc-provider 9.13.3 as an outside peer of bench/outside (see README.md beside this file).
// In memory (a Map: the library's default memory adapter is an LRU cache of 1000 entries, which a
// benchmark's thousands of flows overflow, evicting live tokens), its development interactions (a login form
// that accepts any login and password, and a consent form), one confidential client.
// Usage: node server.js PORT
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number.parseInt(process.argv[2] ?? process.env.PORT ?? '', 10);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.js PORT');
  process.exit(2);
}
const host = '127.0.0.1';
const issuer = `http://${host}:${port}`;

// The adapter interface of oidc-provider (lib/adapters/memory_adapter.js), without the size limit.
const stores = new Map();
class MapAdapter {
  constructor(name) {
    this.name = name;
    if (!stores.has(name)) stores.set(name, { entries: new Map(), byUid: new Map(), byUserCode: new Map() });
    ({ entries: this.store, byUid: this.byUid, byUserCode: this.byUserCode } = stores.get(name));
  }

  static grants = new Map();

  async upsert(id, payload, expiresIn) {
    this.store.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    if (payload.uid) this.byUid.set(payload.uid, id);
    if (payload.userCode) this.byUserCode.set(payload.userCode, id);
    if (payload.grantId) {
      const ids = MapAdapter.grants.get(payload.grantId) ?? [];
      ids.push([this.name, id]);
      MapAdapter.grants.set(payload.grantId, ids);
    }
  }

  async find(id) {
    const entry = this.store.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.store.delete(id);
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid) {
    const id = this.byUid.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const id = this.byUserCode.get(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id) {
    const entry = this.store.get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    this.store.delete(id);
  }

  async revokeByGrantId(grantId) {
    for (const [name, id] of MapAdapter.grants.get(grantId) ?? []) stores.get(name)?.entries.delete(id);
    MapAdapter.grants.delete(grantId);
  }
}

const CLIENT = {
  client_id: 'bench-client',
  client_secret: 'bench-secret-0123456789abcdef0123456789abcdef',
  redirect_uris: ['http://localhost:3000/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
};

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [CLIENT],
  // Every account exists (the dev login accepts any login); claims for profile and email.
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, name: sub, preferred_username: sub, email: `${sub}@example.com`, email_verified: true };
      },
    };
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
  },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  pkce: { required: () => true },            // S256 is the only method allowed by default
  // Every code exchange of this client returns a refresh token (the flow asks for offline_access
  // with prompt=consent as well, so the refresh token is not tied to the browser session).
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,                  // every refresh answer carries a new refresh token
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: true },       // the default, stated: plain HTML forms, no script
    userinfo: { enabled: true },
  },
});

const server = provider.listen(port, host, () => {
  console.log(`oidc-provider ${issuer} ready (NODE_ENV=${process.env.NODE_ENV ?? ''})`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
