import { SetMetadata } from '@nestjs/common';

export const TRANSACTION_GROUP = 'wrx:transactionGroup';

export type GroupOf = (params: Record<string, string>) => string;

/**
 * The group (`Db.rootTransaction`) the transaction of a request with an Idempotency-Key
 * joins: that interceptor opens the transaction before the handler runs, so it must name
 * the same group the handler's service would.
 */
export const TransactionGroup = (of: GroupOf) => SetMetadata(TRANSACTION_GROUP, of);
