import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** The hash-chained audit log: every module appends to it through AuditService. */
@Module({ controllers: [AuditController], providers: [AuditService, AuditRepository], exports: [AuditService, AuditRepository] })
export class AuditModule {}
