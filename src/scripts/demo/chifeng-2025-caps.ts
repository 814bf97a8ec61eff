/**
 * 赤峰市 2025 用水总量控制指标 by 旗县区: the 用水总量 column of 附件《赤峰市2025年节水行动
 * 目标分解表》 in 赤峰市人民政府《关于印发赤峰市节水行动实施方案的通知》(赤政发〔2025〕11号,
 * 2025-04-11), seed 003 (../shared/seeds/003_b5de2dcc9c761495.txt).
 *
 * Figures are copied as printed, in 亿立方米 (10⁸ m³), and converted to m³ by the seed with
 * exact decimal arithmetic. Codes are the GB/T 2260 administrative division codes.
 * The twelve county figures add up to 20.2285, inside the city's 20.23.
 */

export const CHIFENG_CAP_YEAR = 2025;

export const CHIFENG_CAP_SOURCE = '赤政发〔2025〕11号 附件《赤峰市2025年节水行动目标分解表》, 用水总量';

/** m³ in one 亿立方米. */
export const M3_PER_100_MILLION_M3 = '100000000';

export interface DemoRegion {
  code: string;
  name: string;
  /** The region above; the province hangs under the national root 100000, where the operator sits. */
  parentCode: string;
  /** 用水总量 for the cap year, 亿m³ as printed; null where the table gives none. */
  totalUse100MillionM3: string | null;
}

export const INNER_MONGOLIA = '150000';
export const CHIFENG = '150400';

/** Parents before children, so each region's parent exists when it is written. */
export const CHIFENG_2025: readonly DemoRegion[] = [
  // The province is the tree's anchor under the national root; the table sets no cap for it.
  { code: INNER_MONGOLIA, name: '内蒙古自治区', parentCode: '100000', totalUse100MillionM3: null },
  { code: CHIFENG, name: '赤峰市', parentCode: INNER_MONGOLIA, totalUse100MillionM3: '20.23' }, // 全市
  // The table's row order.
  { code: '150421', name: '阿鲁科尔沁旗', parentCode: CHIFENG, totalUse100MillionM3: '1.9674' },
  { code: '150422', name: '巴林左旗', parentCode: CHIFENG, totalUse100MillionM3: '1.4647' },
  { code: '150423', name: '巴林右旗', parentCode: CHIFENG, totalUse100MillionM3: '1.9224' },
  { code: '150424', name: '林西县', parentCode: CHIFENG, totalUse100MillionM3: '0.9262' },
  { code: '150425', name: '克什克腾旗', parentCode: CHIFENG, totalUse100MillionM3: '1.9941' },
  { code: '150426', name: '翁牛特旗', parentCode: CHIFENG, totalUse100MillionM3: '3.0047' },
  { code: '150428', name: '喀喇沁旗', parentCode: CHIFENG, totalUse100MillionM3: '0.7640' },
  { code: '150429', name: '宁城县', parentCode: CHIFENG, totalUse100MillionM3: '1.4263' },
  { code: '150430', name: '敖汉旗', parentCode: CHIFENG, totalUse100MillionM3: '2.8220' },
  { code: '150402', name: '红山区', parentCode: CHIFENG, totalUse100MillionM3: '0.9098' },
  { code: '150403', name: '元宝山区', parentCode: CHIFENG, totalUse100MillionM3: '0.9442' },
  { code: '150404', name: '松山区', parentCode: CHIFENG, totalUse100MillionM3: '2.0827' },
];
