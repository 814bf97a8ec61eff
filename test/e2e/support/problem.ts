import type { Response } from 'supertest';

/** Every error the service sends is RFC 9457 problem+json carrying the contract's code. */
export function expectProblem(res: Response, status: number, code: string): void {
  if (res.status !== status) throw new Error(`expected ${status} ${code}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code });
}

/** The fields a 400 names in errors[]. */
export const fieldsOf = (res: Response): string[] => (res.body.errors ?? []).map((e: { field: string }) => e.field);
