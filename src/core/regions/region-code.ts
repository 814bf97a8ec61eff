/** A region is named by its 6-digit administrative division code (GB/T 2260). */
export const REGION_CODE = /^\d{6}$/;

export const isRegionCode = (code: string): boolean => REGION_CODE.test(code);
