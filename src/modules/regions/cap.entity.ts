import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** 用水总量控制指标: a region's yearly ceiling on total water use, m³. */
@Entity('caps')
export class Cap {
  @PrimaryColumn({ name: 'region_code', type: 'char', length: 6 }) regionCode: string;
  @PrimaryColumn('integer') year: number;
  @Column({ name: 'total_cap', type: 'numeric', precision: 18, scale: 3 }) totalCap: string;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
