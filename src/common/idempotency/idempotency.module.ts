import { Module } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository';

/** The stored responses of Idempotency-Key requests: the interceptor writes them, the clean-up job purges them. */
@Module({ providers: [IdempotencyRepository], exports: [IdempotencyRepository] })
export class IdempotencyModule {}
