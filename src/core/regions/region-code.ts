/** A region is named by its 6-digit administrative division code (GB/T 2260). */
export const REGION_CODE = /^\d{6}$/;

export const isRegionCode = (code: string): boolean => REGION_CODE.test(code);

/**
 * The national root (中华人民共和国), created at first start; the operator sits in it. It has
 * no parent: under a province, that province's regulators would hold the operator in their
 * jurisdiction and read its books, and API.md gives no way to clear a parent again.
 */
export const NATIONAL_REGION = { code: '100000', name: '中华人民共和国' } as const;

/** A parent for `code` that the tree refuses on its own terms, or null. */
export function rootParentProblem(code: string, parentCode: string | null): string | null {
  return code === NATIONAL_REGION.code && parentCode !== null ? `the national root ${NATIONAL_REGION.code} has no parent` : null;
}
