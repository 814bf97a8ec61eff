import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const PARTICIPANT_KINDS = ['OPERATOR', 'REGULATOR', 'ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER', 'RESERVE'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

export const USE_TYPES = ['AGRICULTURE', 'INDUSTRY', 'SERVICE', 'DOMESTIC', 'ECOLOGY'] as const;
export type UseType = (typeof USE_TYPES)[number];

@Entity('participants')
export class Participant {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') kind: ParticipantKind;
  @Column({ name: 'region_code', type: 'char', length: 6 }) regionCode: string;
  @Column({ name: 'credit_code', type: 'text', nullable: true }) creditCode: string | null;
  @Column({ name: 'use_type', type: 'text', nullable: true }) useType: UseType | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
