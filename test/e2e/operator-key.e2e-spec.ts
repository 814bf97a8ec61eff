import { client, startTestApp } from './support/test-app';

describe('the operator key from ADMIN_API_KEY', () => {
  it('refuses to start with a key the operator revoked, instead of reinstating it', async () => {
    const t = await startTestApp();
    try {
      const op = client(t, t.adminKey);
      const me = (await op.get('/v1/participants/me')).body;
      const spare = (await op.post(`/v1/participants/${me.id}/api-keys`)).body;
      const envKey = (await op.get(`/v1/participants/${me.id}/api-keys?limit=500`)).body.items.find((k: any) => k.keyId !== spare.keyId);
      expect((await client(t, spare.apiKey).delete(`/v1/participants/${me.id}/api-keys/${envKey.keyId}`)).status).toBe(200);
      await t.kill();
      const refused = await startTestApp({ dbUrl: t.dbUrl }).then(() => null, (err: Error) => err.message);
      expect(refused).toMatch(/Failed to start: ADMIN_API_KEY names a key that was revoked[^\n]*; configure a new key/);
      // A configuration to fix, told in one line: no stack trace after it.
      expect(refused).not.toMatch(/\n\s+at /);
      // A fresh key in the environment starts the service again; the revoked one stays revoked.
      const next = await startTestApp({ dbUrl: t.dbUrl, env: { ADMIN_API_KEY: 'a-new-operator-key-0123456789abcdef' } });
      try {
        expect((await client(next, 'a-new-operator-key-0123456789abcdef').get('/v1/participants/me')).status).toBe(200);
        expect((await client(next, t.adminKey).get('/v1/participants/me')).status).toBe(401);
      } finally {
        await next.close();
      }
    } finally {
      // Drops the database; the first instance is already gone, so it proves no books itself.
      await t.close();
    }
  });

  it('records a rotation at start-up as the system, both the revocation and the new key', async () => {
    const t = await startTestApp();
    try {
      const op = client(t, t.adminKey);
      const me = (await op.get('/v1/participants/me')).body;
      const oldKey = (await op.get(`/v1/participants/${me.id}/api-keys`)).body.items[0].keyId;
      await t.kill();
      const next = await startTestApp({ dbUrl: t.dbUrl, env: { ADMIN_API_KEY: 'a-rotated-operator-key-0123456789abc' } });
      try {
        const entries = (await client(next, 'a-rotated-operator-key-0123456789abc').get('/v1/audit?entityType=apiKey&limit=500')).body.items;
        const rotation = entries.filter((e: any) => e.entityId === oldKey || e.before === null && e.after.keyId !== oldKey && e.after.participantId === me.id);
        expect(rotation.map((e: any) => [e.action, e.actorId])).toEqual(
          expect.arrayContaining([['apiKey.revoked', null], ['apiKey.created', null]]),
        );
        expect(rotation.find((e: any) => e.action === 'apiKey.revoked')).toMatchObject({ entityId: oldKey, before: { revokedAt: null } });
        expect(next.logs()).toContain(`the operator's previous key from the environment is revoked (${oldKey})`);
      } finally {
        await next.close();
      }
    } finally {
      await t.close();
    }
  });
});
