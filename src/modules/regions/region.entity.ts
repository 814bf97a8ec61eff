import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('regions')
export class Region {
  @PrimaryColumn({ type: 'char', length: 6 }) code: string;
  @Column('text') name: string;
  @Column({ name: 'parent_code', type: 'char', length: 6, nullable: true }) parentCode: string | null;
  @Column({ name: 'groundwater_overdraft', type: 'boolean', default: false }) groundwaterOverdraft: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
