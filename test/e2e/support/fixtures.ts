import { client, TestApp } from './test-app';

export interface Party {
  id: string;
  apiKey: string;
  kind: string;
  regionCode: string;
}

/** 内蒙古 → 赤峰市 → two counties, and 包头市 beside it: enough for in- and cross-jurisdiction cases. */
export const TREE = [
  { code: '150000', name: '内蒙古自治区', parentCode: undefined },
  { code: '150400', name: '赤峰市', parentCode: '150000' },
  { code: '150421', name: '阿鲁科尔沁旗', parentCode: '150400' },
  { code: '150422', name: '巴林左旗', parentCode: '150400' },
  { code: '150200', name: '包头市', parentCode: '150000' },
];

export async function seedRegions(t: TestApp, tree = TREE): Promise<void> {
  const op = client(t, t.adminKey);
  for (const r of tree) {
    const res = await op.put(`/v1/regions/${r.code}`, { name: r.name, ...(r.parentCode ? { parentCode: r.parentCode } : {}) });
    if (res.status !== 201 && res.status !== 200) throw new Error(`seeding region ${r.code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

export async function createParticipant(t: TestApp, kind: string, regionCode: string, extra: Record<string, unknown> = {}): Promise<Party> {
  const res = await client(t, t.adminKey).post('/v1/participants', { name: `${kind} ${regionCode}`, kind, regionCode, ...extra });
  if (res.status !== 201) throw new Error(`creating ${kind}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, apiKey: res.body.apiKey, kind, regionCode };
}

export async function operatorId(t: TestApp): Promise<string> {
  return (await client(t, t.adminKey).get('/v1/participants/me')).body.id;
}
