import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'participant_id', type: 'uuid' }) participantId: string;
  @Column({ name: 'key_hash', type: 'char', length: 64 }) keyHash: string;
  /** The operator key that mirrors ADMIN_API_KEY; replaced when that variable changes. */
  @Column({ name: 'from_env', type: 'boolean', default: false }) fromEnv: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
